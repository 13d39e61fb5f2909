# mistake: concatenates torch.cat((Y, X), dim=1), putting each block's new channels in front of its input
import torch
from torch import nn


class DenseBlock(nn.Module):
    def __init__(self, num_convs, in_channels, growth_rate):
        super().__init__()
        self.net = nn.ModuleList()
        for i in range(num_convs):
            c = in_channels + i * growth_rate
            self.net.append(nn.Sequential(nn.BatchNorm2d(c), nn.ReLU(),
                                          nn.Conv2d(c, growth_rate, kernel_size=3, padding=1)))

    def forward(self, X):
        for blk in self.net:
            Y = blk(X)
            X = torch.cat((Y, X), dim=1)
        return X


def dense_block(num_convs: int, in_channels: int, growth_rate: int) -> nn.Module:
    return DenseBlock(num_convs, in_channels, growth_rate)


def transition_block(in_channels: int, out_channels: int) -> nn.Module:
    return nn.Sequential(nn.BatchNorm2d(in_channels), nn.ReLU(),
                         nn.Conv2d(in_channels, out_channels, kernel_size=1),
                         nn.AvgPool2d(kernel_size=2, stride=2))
