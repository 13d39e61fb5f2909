"""The heavy check of chapter11/patch_embedding: a batch of images against the Numba convolution.

CIFAR-ViT sizes (32 × 32 images, 4 × 4 patches) rather than ImageNet's 224 × 224 with 16 × 16
patches: a stride-1 convolution costs about p² times the right one, so with p = 16 the
overlapping-windows mistake would take seconds and its verdict (fail or timeout) would depend on
the machine's load; with p = 4 it stays a fast, plain failure."""

from types import SimpleNamespace

import numpy as np
import torch


def kernel_patch_embedding():
    """Stands in for the learner's module: tutor.kernels.conv2d with stride = patch size, then
    the (B, hidden, h, w) map flattened to (B, h·w, hidden) in numpy."""
    from tutor import kernels

    def patch_embedding(X, weight, bias, patch_size):
        Y = kernels.conv2d(X.numpy(), weight.numpy(), bias.numpy(), stride=patch_size)
        B, hidden = Y.shape[:2]
        out = np.ascontiguousarray(Y.reshape(B, hidden, -1).transpose(0, 2, 1))
        return torch.from_numpy(out).to(X.dtype)

    return SimpleNamespace(patch_embedding=patch_embedding)


def heavy_run(module, ctx):
    from tutor.grader import kit

    g = ctx.generator()
    X = torch.randn(8, 3, 32, 32, generator=g)
    weight = torch.randn(192, 3, 4, 4, generator=g) * (3 * 4 * 4) ** -0.5
    bias = torch.randn(192, generator=g) * 0.1
    return kit.call(module, "patch_embedding", X, weight, bias, 4)
