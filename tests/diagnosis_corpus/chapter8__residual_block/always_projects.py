# mistake: always passes the shortcut through a 1x1 convolution, even when the shapes already match
import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 3, stride, 1), nn.BatchNorm2d(out_channels), nn.ReLU(),
            nn.Conv2d(out_channels, out_channels, 3, 1, 1), nn.BatchNorm2d(out_channels),
        )
        self.shortcut = nn.Conv2d(in_channels, out_channels, 1, stride)

    def forward(self, X):
        return torch.relu(self.main(X) + self.shortcut(X))


def residual_block(in_channels: int, out_channels: int, stride: int = 1) -> nn.Module:
    return Block(in_channels, out_channels, stride)
