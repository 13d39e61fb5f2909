import torch
from torch import nn


class DenseBlock(nn.Module):
    """D2L's lazy layers: each convolution block learns its input channels on the first call."""

    def __init__(self, num_convs, num_channels):
        super().__init__()
        self.net = nn.Sequential(*[
            nn.Sequential(nn.LazyBatchNorm2d(), nn.ReLU(), nn.LazyConv2d(num_channels, kernel_size=3, padding=1))
            for _ in range(num_convs)])

    def forward(self, X):
        for blk in self.net:
            X = torch.cat((X, blk(X)), dim=1)
        return X


class Transition(nn.Module):
    """Pools before the 1×1 convolution: both are linear and act per pixel or per window, so the order
    gives the same numbers, with a quarter of the convolution's work."""

    def __init__(self, cin, cout):
        super().__init__()
        self.bn = nn.BatchNorm2d(cin)
        self.conv = nn.Conv2d(cin, cout, kernel_size=1)
        self.pool = nn.AvgPool2d(2)

    def forward(self, X):
        return self.conv(self.pool(torch.relu(self.bn(X))))


def dense_block(num_convs, in_channels, growth_rate):
    return DenseBlock(num_convs, growth_rate)


def transition_block(in_channels, out_channels):
    return Transition(in_channels, out_channels)
