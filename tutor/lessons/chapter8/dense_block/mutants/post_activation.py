# diagnosis: dense_block.post_activation
import torch
from torch import nn


class DenseBlock(nn.Module):
    def __init__(self, L, c0, k):
        super().__init__()
        # ResNet's order (convolution, then batch norm and ReLU) instead of DenseNet's.
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.Conv2d(c0 + i * k, k, 3, padding=1), nn.BatchNorm2d(k), nn.ReLU()) for i in range(L))

    def forward(self, X):
        for block in self.blocks:
            X = torch.cat((X, block(X)), dim=1)
        return X


def dense_block(num_convs, in_channels, growth_rate):
    return DenseBlock(num_convs, in_channels, growth_rate)


def transition_block(in_channels, out_channels):
    return nn.Sequential(nn.Conv2d(in_channels, out_channels, 1), nn.BatchNorm2d(out_channels), nn.ReLU(),
                         nn.AvgPool2d(2, 2))
