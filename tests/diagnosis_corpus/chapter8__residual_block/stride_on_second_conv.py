# mistake: puts the stride on the second 3x3 convolution instead of the first
import torch
from torch import nn


class ResBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(cout, cout, kernel_size=3, stride=stride, padding=1)
        self.bn1 = nn.BatchNorm2d(cout)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Conv2d(cin, cout, 1, stride=stride) if (cin != cout or stride != 1) else None

    def forward(self, x):
        y = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        s = x if self.shortcut is None else self.shortcut(x)
        return torch.relu(y + s)


def residual_block(in_channels: int, out_channels: int, stride: int = 1) -> nn.Module:
    return ResBlock(in_channels, out_channels, stride)
