"""Chapter 8 - nin.

Write nin_block() and nin_head(): Network in Network's block (a convolution followed by two 1×1
convolutions) and its classifier head (a NiN block with one channel per class, then global
average pooling instead of fully connected layers).
Read the lesson with `tutor start`; `tutor hint chapter8/nin` when stuck.
Grade it with: tutor check chapter8/nin
"""

import torch  # noqa: F401 - torch.relu, Tensor.mean, in your forward
from torch import nn


def nin_block(in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0) -> nn.Module:
    """A fresh module: a kernel_size convolution, then two 1×1 convolutions, each followed by ReLU."""
    raise NotImplementedError("nin_block: write me")


def nin_head(in_channels: int, num_classes: int) -> nn.Module:
    """A fresh module mapping (N, in_channels, H, W) to class scores (N, num_classes), for any H and W."""
    raise NotImplementedError("nin_head: write me")
