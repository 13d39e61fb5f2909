# diagnosis: nin.no_final_relu
from torch import nn


def nin_block(in_channels, out_channels, kernel_size, stride=1, padding=0):
    layers = [nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=padding), nn.ReLU()]
    layers += [nn.Conv2d(out_channels, out_channels, 1), nn.ReLU()]
    layers += [nn.Conv2d(out_channels, out_channels, 1)]  # the block ends on a convolution, not on its ReLU
    return nn.Sequential(*layers)


def nin_head(in_channels, num_classes):
    return nn.Sequential(nin_block(in_channels, num_classes, 3, 1, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten())
