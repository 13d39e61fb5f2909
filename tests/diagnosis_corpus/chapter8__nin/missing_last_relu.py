# mistake: leaves out the ReLU after the last 1x1 convolution of the block
import torch  # noqa: F401
from torch import nn


def nin_block(in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=padding), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, kernel_size=1), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, kernel_size=1),
    )


def nin_head(in_channels: int, num_classes: int) -> nn.Module:
    return nn.Sequential(
        nin_block(in_channels, num_classes, 3, stride=1, padding=1),
        nn.AdaptiveAvgPool2d((1, 1)),
        nn.Flatten(),
    )
