"""Three checks of chapter4/softmax's kinds: enough to catch wrong, lying or mutating code."""

import torch

from tutor.grader.checks import StabilityCheck, ValueCheck

MUTATES = "softmax.mutates_input"

CHECKS = [
    ValueCheck("the lesson's 2×3 example", "softmax",
               lambda ctx: {"X": torch.tensor([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]])}, mutation_diagnosis=MUTATES),
    ValueCheck("random batch of 8 rows × 10 classes", "softmax",
               lambda ctx: {"X": torch.randn(8, 10, generator=ctx.generator()) * 3}, mutation_diagnosis=MUTATES),
    StabilityCheck("huge logits (±1000) stay finite", "softmax",
                   lambda ctx: {"X": torch.tensor([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1001.0]])},
                   mutation_diagnosis=MUTATES),
]
