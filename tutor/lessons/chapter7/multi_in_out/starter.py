"""Chapter 7 - multi_in_out.

Write three functions: corr2d_multi_in (several input channels), corr2d_multi_in_out (several
input and output channels) and corr2d_multi_in_out_1x1 (a 1×1 kernel as a matrix product).
Read the lesson with `tutor start`; `tutor hint chapter7/multi_in_out` when stuck.
Grade it with: tutor check chapter7/multi_in_out
"""

import torch


def corr2d_multi_in(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """X (C_in, h, w), K (C_in, kh, kw) -> (h - kh + 1, w - kw + 1): per-channel cross-correlations, summed."""
    raise NotImplementedError("corr2d_multi_in: write me")


def corr2d_multi_in_out(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """X (C_in, h, w), K (C_out, C_in, kh, kw) -> (C_out, h - kh + 1, w - kw + 1)."""
    raise NotImplementedError("corr2d_multi_in_out: write me")


def corr2d_multi_in_out_1x1(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """X (C_in, h, w), K (C_out, C_in, 1, 1) -> (C_out, h, w), computed as one matrix multiplication."""
    raise NotImplementedError("corr2d_multi_in_out_1x1: write me")
