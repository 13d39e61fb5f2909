import torch
from torch import nn


def conv_block(in_channels: int, growth_rate: int) -> nn.Sequential:
    """DenseNet's pre-activation convolution block: batch norm, ReLU, then a 3×3 convolution."""
    return nn.Sequential(nn.BatchNorm2d(in_channels), nn.ReLU(),
                         nn.Conv2d(in_channels, growth_rate, kernel_size=3, padding=1))


class DenseBlock(nn.Module):
    def __init__(self, num_convs: int, in_channels: int, growth_rate: int):
        super().__init__()
        # Block i sees the input and the outputs of blocks 0 … i−1: c₀ + i·k channels.
        self.blocks = nn.ModuleList(conv_block(in_channels + i * growth_rate, growth_rate)
                                    for i in range(num_convs))

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            X = torch.cat((X, block(X)), dim=1)  # keep everything, append the new channels
        return X


def dense_block(num_convs: int, in_channels: int, growth_rate: int) -> nn.Module:
    return DenseBlock(num_convs, in_channels, growth_rate)


def transition_block(in_channels: int, out_channels: int) -> nn.Module:
    return nn.Sequential(nn.BatchNorm2d(in_channels), nn.ReLU(),
                         nn.Conv2d(in_channels, out_channels, kernel_size=1),
                         nn.AvgPool2d(kernel_size=2, stride=2))
