# mistake: orders each convolution block conv -> batch norm -> ReLU (post-activation) instead of batch norm -> ReLU -> conv
import torch
from torch import nn
import torch.nn.functional as F


class ConvBlock(nn.Module):
    def __init__(self, c, k):
        super().__init__()
        self.conv = nn.Conv2d(c, k, 3, padding=1)
        self.bn = nn.BatchNorm2d(k)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class Dense(nn.Module):
    def __init__(self, num_convs, in_channels, growth_rate):
        super().__init__()
        self.convs = nn.ModuleList(ConvBlock(in_channels + i * growth_rate, growth_rate) for i in range(num_convs))

    def forward(self, x):
        for conv in self.convs:
            x = torch.cat((x, conv(x)), dim=1)
        return x


class Transition(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.bn = nn.BatchNorm2d(cin)
        self.conv = nn.Conv2d(cin, cout, 1)

    def forward(self, x):
        return F.avg_pool2d(self.conv(F.relu(self.bn(x))), 2)


def dense_block(num_convs: int, in_channels: int, growth_rate: int) -> nn.Module:
    return Dense(num_convs, in_channels, growth_rate)


def transition_block(in_channels: int, out_channels: int) -> nn.Module:
    return Transition(in_channels, out_channels)
