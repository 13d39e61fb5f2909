"""Chapter 8 - residual_block.

Write residual_block(): ResNet's basic block as an nn.Module: two 3×3 convolutions with batch
norm, and a shortcut that adds the input back (through a 1×1 convolution when the shapes change).
Read the lesson with `tutor start`; `tutor hint chapter8/residual_block` when stuck.
Grade it with: tutor check chapter8/residual_block
"""

import torch  # noqa: F401 - torch.relu and friends, in your forward
from torch import nn


def residual_block(in_channels: int, out_channels: int, stride: int = 1) -> nn.Module:
    """A fresh block mapping (N, in_channels, H, W) to (N, out_channels, ⌊(H − 1)/stride⌋ + 1, ⌊(W − 1)/stride⌋ + 1)."""
    raise NotImplementedError("residual_block: write me")
