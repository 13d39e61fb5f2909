# mistake: uses 2x2 max pooling in the transition layer instead of average pooling
import torch
from torch import nn


class DenseBlock(nn.Module):
    def __init__(self, num_convs, in_channels, growth_rate):
        super().__init__()
        layers = []
        for i in range(num_convs):
            c = in_channels + i * growth_rate
            layers.append(nn.Sequential(nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, growth_rate, 3, padding=1)))
        self.layers = nn.Sequential(*layers)

    def forward(self, X):
        for layer in self.layers:
            X = torch.cat([X, layer(X)], 1)
        return X


def dense_block(num_convs: int, in_channels: int, growth_rate: int) -> nn.Module:
    return DenseBlock(num_convs, in_channels, growth_rate)


def transition_block(in_channels: int, out_channels: int) -> nn.Module:
    return nn.Sequential(
        nn.BatchNorm2d(in_channels), nn.ReLU(),
        nn.Conv2d(in_channels, out_channels, kernel_size=1),
        nn.MaxPool2d(kernel_size=2, stride=2),
    )
