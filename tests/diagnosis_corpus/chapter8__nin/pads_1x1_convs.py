# mistake: passes the block's padding to the two 1x1 convolutions as well, so every one of them grows the map
import torch  # noqa: F401
from torch import nn


def nin_block(in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0) -> nn.Module:
    layers = [nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding), nn.ReLU()]
    for _ in range(2):
        layers += [nn.Conv2d(out_channels, out_channels, 1, padding=padding), nn.ReLU()]
    return nn.Sequential(*layers)


def nin_head(in_channels: int, num_classes: int) -> nn.Module:
    return nn.Sequential(nin_block(in_channels, num_classes, 3, 1, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten())
