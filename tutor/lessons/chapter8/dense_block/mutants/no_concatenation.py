# diagnosis: dense_block.no_concatenation
from torch import nn


def dense_block(num_convs, in_channels, growth_rate):
    # A plain stack: each block's output replaces its input instead of being appended to it.
    layers = []
    for i in range(num_convs):
        c = in_channels if i == 0 else growth_rate
        layers += [nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, growth_rate, 3, padding=1)]
    return nn.Sequential(*layers)


def transition_block(in_channels, out_channels):
    return nn.Sequential(nn.BatchNorm2d(in_channels), nn.ReLU(), nn.Conv2d(in_channels, out_channels, 1),
                         nn.AvgPool2d(2, 2))
