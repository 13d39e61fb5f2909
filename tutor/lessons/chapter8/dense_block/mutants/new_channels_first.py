# diagnosis: dense_block.new_channels_first
import torch
from torch import nn


class DenseBlock(nn.Module):
    def __init__(self, L, c0, k):
        super().__init__()
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.BatchNorm2d(c0 + i * k), nn.ReLU(), nn.Conv2d(c0 + i * k, k, 3, padding=1))
            for i in range(L))

    def forward(self, X):
        for block in self.blocks:
            X = torch.cat((block(X), X), dim=1)  # the new channels in front
        return X


def dense_block(num_convs, in_channels, growth_rate):
    return DenseBlock(num_convs, in_channels, growth_rate)


def transition_block(in_channels, out_channels):
    return nn.Sequential(nn.BatchNorm2d(in_channels), nn.ReLU(), nn.Conv2d(in_channels, out_channels, 1),
                         nn.AvgPool2d(2, 2))
