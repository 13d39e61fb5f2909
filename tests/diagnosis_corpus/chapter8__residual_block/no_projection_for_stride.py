# mistake: projects the shortcut only when the channel count changes, so a stride-2 block with equal channels adds mismatched shapes
import torch
from torch import nn


class Residual(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.proj = nn.Conv2d(in_channels, out_channels, 1, stride=stride) if in_channels != out_channels else None

    def forward(self, X):
        Y = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(X)))))
        if self.proj is not None:
            X = self.proj(X)
        return torch.relu(Y + X)


def residual_block(in_channels: int, out_channels: int, stride: int = 1) -> nn.Module:
    return Residual(in_channels, out_channels, stride)
