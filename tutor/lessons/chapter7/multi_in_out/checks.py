"""Checks for chapter7/multi_in_out: each function on the lesson's example, then random cases."""

import torch

from tutor.grader.checks import GradientCheck, ValueCheck

IN, IN_OUT, ONE = "corr2d_multi_in", "corr2d_multi_in_out", "corr2d_multi_in_out_1x1"
X_LESSON = [[[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [2.0, 1.0, 1.0]],
            [[0.0, 1.0, 1.0], [2.0, 0.0, 1.0], [1.0, 1.0, 0.0]]]
K_LESSON = [[[1.0, 0.0], [0.0, 1.0]], [[2.0, 1.0], [0.0, -1.0]]]


def lesson_in(ctx):
    return {"X": torch.tensor(X_LESSON), "K": torch.tensor(K_LESSON)}


def lesson_in_out(ctx):
    K = torch.tensor(K_LESSON)
    return {"X": torch.tensor(X_LESSON), "K": torch.stack([K, K + 1, -K])}


def randn(xs, ks, dtype=torch.float32):
    def make(ctx):
        g = ctx.generator()
        return {"X": torch.randn(*xs, generator=g, dtype=dtype), "K": torch.randn(*ks, generator=g, dtype=dtype)}
    return make


CHECKS = [
    ValueCheck("multi_in: the lesson's 2-channel 3×3 example", IN, lesson_in),
    ValueCheck("multi_in: 3 channels, 6×7 input, 2×3 kernels", IN, randn((3, 6, 7), (3, 2, 3))),
    ValueCheck("multi_in: one channel is plain corr2d", IN, randn((1, 4, 5), (1, 2, 2))),
    ValueCheck("multi_in_out: the lesson's example with 3 output channels (K, K + 1, −K)", IN_OUT, lesson_in_out),
    ValueCheck("multi_in_out: 4 → 3 channels, 5×6 input, 3×2 kernels", IN_OUT, randn((4, 5, 6), (3, 4, 3, 2))),
    ValueCheck("multi_in_out: float64 in, float64 out", IN_OUT, randn((2, 4, 4), (2, 2, 2, 2), dtype=torch.float64)),
    ValueCheck("1×1: 3 → 2 channels on a 5×6 image", ONE, randn((3, 5, 6), (2, 3, 1, 1))),
    ValueCheck("1×1: 4 → 4 channels on a 3×7 image", ONE, randn((4, 3, 7), (4, 4, 1, 1))),
    GradientCheck("multi_in_out is differentiable in X and K (float64)", IN_OUT,
                  randn((2, 4, 5), (3, 2, 2, 2), dtype=torch.float64), wrt=("X", "K")),
]
