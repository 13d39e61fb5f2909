# mistake: feeds every convolution block the original input X instead of the growing concatenation, then concatenates all outputs
import torch
from torch import nn


def conv_block(c, k):
    return nn.Sequential(nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, k, kernel_size=3, padding=1))


class DenseBlock(nn.Module):
    def __init__(self, num_convs, in_channels, growth_rate):
        super().__init__()
        self.blocks = nn.ModuleList([conv_block(in_channels, growth_rate) for _ in range(num_convs)])

    def forward(self, X):
        outs = [X]
        for blk in self.blocks:
            outs.append(blk(X))
        return torch.cat(outs, dim=1)


def dense_block(num_convs: int, in_channels: int, growth_rate: int) -> nn.Module:
    return DenseBlock(num_convs, in_channels, growth_rate)


def transition_block(in_channels: int, out_channels: int) -> nn.Module:
    return nn.Sequential(nn.BatchNorm2d(in_channels), nn.ReLU(),
                         nn.Conv2d(in_channels, out_channels, kernel_size=1),
                         nn.AvgPool2d(kernel_size=2, stride=2))
