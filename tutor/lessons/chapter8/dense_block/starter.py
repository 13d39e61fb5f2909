"""Chapter 8 - dense_block.

Write dense_block() and transition_block(): DenseNet's dense block, which concatenates every
convolution block's output to its input, and the transition layer that shrinks the result.
Read the lesson with `tutor start`; `tutor hint chapter8/dense_block` when stuck.
Grade it with: tutor check chapter8/dense_block
"""

import torch  # noqa: F401 - torch.cat, in your forward
from torch import nn


def dense_block(num_convs: int, in_channels: int, growth_rate: int) -> nn.Module:
    """A fresh module mapping (N, in_channels, H, W) to (N, in_channels + num_convs·growth_rate, H, W)."""
    raise NotImplementedError("dense_block: write me")


def transition_block(in_channels: int, out_channels: int) -> nn.Module:
    """A fresh module mapping (N, in_channels, H, W) to (N, out_channels, ⌊H/2⌋, ⌊W/2⌋)."""
    raise NotImplementedError("transition_block: write me")
