# diagnosis: dense_block.channels_not_accumulated
import torch
from torch import nn


class DenseBlock(nn.Module):
    def __init__(self, L, c0, k):
        super().__init__()
        # Every block built for the block's input channels, as if the concatenations did not grow X.
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.BatchNorm2d(c0), nn.ReLU(), nn.Conv2d(c0, k, 3, padding=1)) for _ in range(L))

    def forward(self, X):
        for block in self.blocks:
            X = torch.cat((X, block(X)), dim=1)
        return X


def dense_block(num_convs, in_channels, growth_rate):
    return DenseBlock(num_convs, in_channels, growth_rate)


def transition_block(in_channels, out_channels):
    return nn.Sequential(nn.BatchNorm2d(in_channels), nn.ReLU(), nn.Conv2d(in_channels, out_channels, 1),
                         nn.AvgPool2d(2, 2))
