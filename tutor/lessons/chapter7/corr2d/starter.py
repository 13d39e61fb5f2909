"""Chapter 7 - corr2d.

Write corr2d(X, K): the "valid" 2-D cross-correlation of an image X with a kernel K.
Read the lesson with `tutor start`; `tutor hint chapter7/corr2d` when stuck.
Grade it with: tutor check chapter7/corr2d
"""

import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """X (h, w), K (kh, kw) -> Y (h - kh + 1, w - kw + 1) with Y[i, j] = sum of X[i:i+kh, j:j+kw] * K."""
    raise NotImplementedError("corr2d: write me")
