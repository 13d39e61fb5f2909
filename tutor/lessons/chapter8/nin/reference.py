import torch
from torch import nn


def nin_block(in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0) -> nn.Module:
    """One ordinary convolution, then two 1×1 convolutions: a small MLP applied at every pixel."""
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=padding), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, kernel_size=1), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, kernel_size=1), nn.ReLU(),
    )


def nin_head(in_channels: int, num_classes: int) -> nn.Module:
    """One NiN block with a channel per class, then global average pooling: (N, C, H, W) → (N, num_classes)."""
    return nn.Sequential(
        nin_block(in_channels, num_classes, kernel_size=3, stride=1, padding=1),
        nn.AdaptiveAvgPool2d((1, 1)),  # each channel's mean over all H×W positions
        nn.Flatten(),                  # (N, num_classes, 1, 1) → (N, num_classes)
    )
