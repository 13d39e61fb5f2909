"""Chapter 7 - conv2d.

Write conv2d(X, W, b=None, stride=1, padding=0): a convolution layer's forward pass, with
several input and output channels, zero padding and stride. It must be fast enough for a
(8, 16, 64, 64) input and a (32, 16, 3, 3) kernel (no six nested loops).
Read the lesson with `tutor start`; `tutor hint chapter7/conv2d` when stuck.
Grade it with: tutor check chapter7/conv2d
"""

import torch


def conv2d(X: torch.Tensor, W: torch.Tensor, b: torch.Tensor | None = None, stride=1, padding=0) -> torch.Tensor:
    """X (N, C_in, H, W), W (C_out, C_in, kh, kw), b (C_out,) or None; stride and padding: int or (h, w).

    Returns (N, C_out, oh, ow) with oh = (H + 2*ph - kh) // sh + 1 (and likewise ow): the same
    result as torch.nn.functional.conv2d.
    """
    raise NotImplementedError("conv2d: write me")
