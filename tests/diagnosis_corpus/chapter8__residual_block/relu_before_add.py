# mistake: applies the final ReLU to the main path and adds the shortcut afterwards, relu(Y) + X
import torch
from torch import nn


class Residual(nn.Module):
    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(out_channels)
        if in_channels != out_channels or stride != 1:
            self.proj = nn.Conv2d(in_channels, out_channels, 1, stride=stride)
        else:
            self.proj = None

    def forward(self, X):
        Y = torch.relu(self.bn1(self.conv1(X)))
        Y = torch.relu(self.bn2(self.conv2(Y)))
        shortcut = X if self.proj is None else self.proj(X)
        return Y + shortcut


def residual_block(in_channels: int, out_channels: int, stride: int = 1) -> nn.Module:
    return Residual(in_channels, out_channels, stride)
