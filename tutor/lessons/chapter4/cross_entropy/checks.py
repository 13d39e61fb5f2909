"""Checks for chapter4/cross_entropy, smallest first."""

import torch

from tutor.grader.checks import GradientCheck, PropertyCheck, StabilityCheck, ValueCheck

F = "cross_entropy"
MUTATES = "cross_entropy.mutates_input"


def fixed(logits, labels, dtype=torch.float32):
    return lambda ctx: {"logits": torch.tensor(logits, dtype=dtype), "labels": torch.tensor(labels, dtype=torch.int64)}


def batch(n, c, dtype=torch.float32, scale=2.0):
    def make(ctx):
        g = ctx.generator()
        return {"logits": torch.randn(n, c, generator=g, dtype=dtype) * scale,
                "labels": torch.randint(0, c, (n,), generator=g)}
    return make


def batch_requiring_grad(n, c):
    return batch(n, c, dtype=torch.float64, scale=1.0)


CHECKS = [
    ValueCheck("the lesson's 2-example batch", F, fixed([[2.0, 1.0, 0.0], [0.0, 0.0, 0.0]], [0, 2]),
               mutation_diagnosis=MUTATES),
    ValueCheck("random batch of 16 examples × 10 classes", F, batch(16, 10), mutation_diagnosis=MUTATES),
    ValueCheck("batch size 1", F, batch(1, 5), mutation_diagnosis=MUTATES),
    ValueCheck("float64 in, float64 out", F, batch(6, 4, dtype=torch.float64), mutation_diagnosis=MUTATES),
    PropertyCheck("the mean does not grow with the batch (64 copies of one example)", F,
                  lambda ctx: {"logits": torch.tensor([[1.0, 2.0, 3.0]]).repeat(64, 1),
                               "labels": torch.zeros(64, dtype=torch.int64)},
                  [("equals the loss of the single example, 2.4076", lambda out, inp: abs(float(out) - 2.40760596) < 1e-4)]),
    StabilityCheck("huge logits (±1000) stay finite", F,
                   fixed([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 999.0], [-1000.0, -1001.0, -1000.0]], [2, 0, 1]),
                   mutation_diagnosis=MUTATES),
    StabilityCheck("a confident wrong answer (probability underflows to 0)", F,
                   fixed([[200.0, 0.0], [0.0, 150.0]], [1, 0])),
    GradientCheck("differentiable with respect to the logits (float64)", F, batch_requiring_grad(5, 4), wrt=("logits",),
                  not_differentiable="cross_entropy.not_differentiable"),
]
