"""The heavy check of chapter11/patch_embedding: a ViT-sized image against the Numba convolution."""

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
    X = torch.randn(2, 3, 224, 224, generator=g)
    weight = torch.randn(192, 3, 16, 16, generator=g) * (3 * 16 * 16) ** -0.5
    bias = torch.randn(192, generator=g) * 0.1
    return kit.call(module, "patch_embedding", X, weight, bias, 16)
