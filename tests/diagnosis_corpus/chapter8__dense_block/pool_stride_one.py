# mistake: gives the transition's 2x2 average pooling stride 1, so it barely shrinks the map instead of halving it
import torch
from torch import nn


class DenseBlock(nn.Module):
    def __init__(self, num_convs, in_channels, growth_rate):
        super().__init__()
        self.blocks = nn.ModuleList()
        for i in range(num_convs):
            cin = in_channels + i * growth_rate
            self.blocks.append(nn.Sequential(nn.BatchNorm2d(cin), nn.ReLU(),
                                             nn.Conv2d(cin, growth_rate, kernel_size=3, padding=1)))

    def forward(self, X):
        for block in self.blocks:
            X = torch.cat((X, block(X)), dim=1)
        return X


def dense_block(num_convs: int, in_channels: int, growth_rate: int) -> nn.Module:
    return DenseBlock(num_convs, in_channels, growth_rate)


def transition_block(in_channels: int, out_channels: int) -> nn.Module:
    return nn.Sequential(nn.BatchNorm2d(in_channels), nn.ReLU(),
                         nn.Conv2d(in_channels, out_channels, kernel_size=1),
                         nn.AvgPool2d(kernel_size=2, stride=1))
