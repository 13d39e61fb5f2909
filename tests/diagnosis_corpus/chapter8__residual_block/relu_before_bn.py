# mistake: orders the first stage conv -> ReLU -> batch norm instead of conv -> batch norm -> ReLU
import torch
from torch import nn


class Residual(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.conv3 = (nn.Conv2d(in_channels, out_channels, 1, stride=stride)
                      if in_channels != out_channels or stride != 1 else None)

    def forward(self, X):
        Y = self.bn1(torch.relu(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3 is not None:
            X = self.conv3(X)
        return torch.relu(Y + X)


def residual_block(in_channels: int, out_channels: int, stride: int = 1) -> nn.Module:
    return Residual(in_channels, out_channels, stride)
