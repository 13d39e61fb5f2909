"""Checks for chapter7/corr2d, smallest first."""

import torch

from tutor.grader.checks import GradientCheck, ValueCheck

F = "corr2d"


def fixed(X, K, dtype=torch.float32):
    return lambda ctx: {"X": torch.tensor(X, dtype=dtype), "K": torch.tensor(K, dtype=dtype)}


def randn(xs, ks, dtype=torch.float32):
    def make(ctx):
        g = ctx.generator()
        return {"X": torch.randn(*xs, generator=g, dtype=dtype), "K": torch.randn(*ks, generator=g, dtype=dtype)}
    return make


def stripe(ctx):
    X = torch.ones(6, 8)
    X[:, 2:6] = 0.0
    return {"X": X, "K": torch.tensor([[1.0, -1.0]])}


CHECKS = [
    ValueCheck("the lesson's 3×4 example with a 2×2 kernel", F,
               fixed([[1, 2, 0, 1], [0, 1, 3, 1], [2, 0, 1, 2]], [[1, 0], [2, 1]])),
    ValueCheck("edge detector [1, −1] on a 6×8 image with a dark stripe", F, stripe),
    ValueCheck("random 6×8 input, non-square 2×3 kernel", F, randn((6, 8), (2, 3))),
    ValueCheck("tall 3×1 kernel on a 5×4 input", F, randn((5, 4), (3, 1))),
    ValueCheck("kernel as large as the input (1×1 output)", F, randn((3, 5), (3, 5))),
    ValueCheck("1×1 kernel (output = input × K[0, 0])", F, randn((4, 3), (1, 1))),
    ValueCheck("float64 in, float64 out", F, randn((7, 5), (3, 2), dtype=torch.float64)),
    GradientCheck("differentiable in X and K (so a kernel can be learned)", F, randn((5, 6), (2, 3), dtype=torch.float64),
                  wrt=("X", "K"), not_differentiable="corr2d.not_differentiable"),
]
