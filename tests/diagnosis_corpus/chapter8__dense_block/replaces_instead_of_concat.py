# mistake: passes each block's output straight to the next (a plain stack) instead of concatenating it to its input
import torch  # noqa: F401
from torch import nn


def dense_block(num_convs: int, in_channels: int, growth_rate: int) -> nn.Module:
    layers = []
    c = in_channels
    for _ in range(num_convs):
        layers += [nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, growth_rate, 3, padding=1)]
        c = growth_rate
    return nn.Sequential(*layers)


def transition_block(in_channels: int, out_channels: int) -> nn.Module:
    return nn.Sequential(nn.BatchNorm2d(in_channels), nn.ReLU(),
                         nn.Conv2d(in_channels, out_channels, 1), nn.AvgPool2d(2, 2))
