from torch import nn


def nin_block(in_channels, out_channels, kernel_size, stride=1, padding=0):
    # D2L's lazy layers (the input channels come from the first batch), without biases this time.
    return nn.Sequential(
        nn.LazyConv2d(out_channels, kernel_size, stride, padding, bias=False), nn.ReLU(inplace=True),
        nn.LazyConv2d(out_channels, kernel_size=1, bias=False), nn.ReLU(inplace=True),
        nn.LazyConv2d(out_channels, kernel_size=1, bias=False), nn.ReLU(inplace=True))


def nin_head(in_channels, num_classes):
    return nn.Sequential(nin_block(in_channels, num_classes, 3, 1, 1), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(start_dim=1))
