# diagnosis: nin.one_by_one_stride_padding
from torch import nn


def nin_block(in_channels, out_channels, kernel_size, stride=1, padding=0):
    layers, c = [], in_channels
    for k in (kernel_size, 1, 1):
        # The block's stride and padding passed to every convolution.
        layers += [nn.Conv2d(c, out_channels, k, stride=stride, padding=padding), nn.ReLU()]
        c = out_channels
    return nn.Sequential(*layers)


def nin_head(in_channels, num_classes):
    return nn.Sequential(nin_block(in_channels, num_classes, 3, 1, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten())
