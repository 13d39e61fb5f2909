"""Checks for chapter4/softmax, smallest first."""

import torch

from tutor.grader.checks import GradientCheck, PropertyCheck, StabilityCheck, ValueCheck

F = "softmax"
MUTATES = "softmax.mutates_input"


def fixed(values, dtype=torch.float32):
    return lambda ctx: {"X": torch.tensor(values, dtype=dtype)}


def randn(*shape, dtype=torch.float32, scale=3.0):
    return lambda ctx: {"X": torch.randn(*shape, generator=ctx.generator(), dtype=dtype) * scale}


def rows_sum_to_one(out, inputs):
    return abs(out.sum(axis=-1) - 1).max() < 1e-5


def in_unit_interval(out, inputs):
    return (out >= 0).all() and (out <= 1).all()


CHECKS = [
    ValueCheck("the lesson's 2×3 example", F, fixed([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]]), mutation_diagnosis=MUTATES),
    ValueCheck("random batch of 8 rows × 10 classes", F, randn(8, 10), mutation_diagnosis=MUTATES),
    ValueCheck("square 4×4 batch (rows and columns easy to confuse)", F, randn(4, 4), mutation_diagnosis=MUTATES),
    ValueCheck("1-D input (a single row)", F, randn(7), mutation_diagnosis=MUTATES),
    ValueCheck("3-D input with a size-1 axis (2×1×5)", F, randn(2, 1, 5), mutation_diagnosis=MUTATES),
    ValueCheck("float64 in, float64 out", F, randn(3, 6, dtype=torch.float64), mutation_diagnosis=MUTATES),
    PropertyCheck("rows are probability distributions", F, randn(16, 9, scale=5.0),
                  [("every row sums to 1", rows_sum_to_one), ("every entry lies in [0, 1]", in_unit_interval)]),
    StabilityCheck("huge logits (±1000) stay finite", F,
                   fixed([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 999.0], [-1000.0, -1000.0, -1001.0]]),
                   mutation_diagnosis=MUTATES),
    GradientCheck("differentiable (float64 gradient and gradcheck)", F, randn(3, 5, dtype=torch.float64, scale=1.0),
                  wrt=("X",)),
]
