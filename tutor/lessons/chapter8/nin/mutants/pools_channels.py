# diagnosis: nin.pools_channels
from torch import nn


def nin_block(in_channels, out_channels, kernel_size, stride=1, padding=0):
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=padding), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, 1), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, 1), nn.ReLU())


class Head(nn.Module):
    def __init__(self, cin, classes):
        super().__init__()
        self.block = nin_block(cin, classes, 3, 1, 1)

    def forward(self, x):
        return self.block(x).mean(dim=1)  # averages the channels away, keeps the positions


def nin_head(in_channels, num_classes):
    return Head(in_channels, num_classes)
