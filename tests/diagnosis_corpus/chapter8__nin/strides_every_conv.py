# mistake: gives the stride to all three convolutions, so a strided block shrinks the map three times
import torch  # noqa: F401
from torch import nn


def nin_block(in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=padding), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, 1, stride=stride), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, 1, stride=stride), nn.ReLU(),
    )


def nin_head(in_channels: int, num_classes: int) -> nn.Module:
    return nn.Sequential(
        nin_block(in_channels, num_classes, 3, padding=1),
        nn.AdaptiveAvgPool2d((1, 1)),
        nn.Flatten(),
    )
