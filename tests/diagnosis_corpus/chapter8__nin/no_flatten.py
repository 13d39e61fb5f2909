# mistake: pools with AdaptiveAvgPool2d((1, 1)) but never flattens, so the scores are (N, num_classes, 1, 1)
import torch  # noqa: F401
from torch import nn


def nin_block(in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size=kernel_size, stride=stride, padding=padding),
        nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, kernel_size=1),
        nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, kernel_size=1),
        nn.ReLU(),
    )


def nin_head(in_channels: int, num_classes: int) -> nn.Module:
    return nn.Sequential(
        nin_block(in_channels, num_classes, kernel_size=3, stride=1, padding=1),
        nn.AdaptiveAvgPool2d((1, 1)),
    )
