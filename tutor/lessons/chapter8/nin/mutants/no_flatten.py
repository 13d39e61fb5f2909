# diagnosis: generic.keepdim
from torch import nn


def nin_block(in_channels, out_channels, kernel_size, stride=1, padding=0):
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=padding), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, 1), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, 1), nn.ReLU())


def nin_head(in_channels, num_classes):
    # Pooled to (N, num_classes, 1, 1) and never flattened.
    return nn.Sequential(nin_block(in_channels, num_classes, 3, 1, 1), nn.AdaptiveAvgPool2d(1))
