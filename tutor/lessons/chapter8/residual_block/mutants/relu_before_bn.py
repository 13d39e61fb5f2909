# diagnosis: residual.relu_before_bn
import torch
from torch import nn
from torch.nn import functional as F


class Residual(nn.Module):
    """Wrong: the first stage activates before it normalises (conv → ReLU → batch norm)."""

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=stride, padding=1)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.project = None
        if in_channels != out_channels or stride != 1:
            self.project = nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        Y = self.bn1(F.relu(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        shortcut = X if self.project is None else self.project(X)
        return F.relu(Y + shortcut)


def residual_block(in_channels: int, out_channels: int, stride: int = 1) -> nn.Module:
    return Residual(in_channels, out_channels, stride)
