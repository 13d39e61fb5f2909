# diagnosis: nin.missing_relu
from torch import nn


def nin_block(in_channels, out_channels, kernel_size, stride=1, padding=0):
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=padding), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, 1),  # no ReLU here: the two 1×1 convolutions are one linear map
        nn.Conv2d(out_channels, out_channels, 1), nn.ReLU())


def nin_head(in_channels, num_classes):
    return nn.Sequential(nin_block(in_channels, num_classes, 3, 1, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten())
