# mistake: averages over dims (1, 2) out of a channels-last (N, H, W, C) habit, which averages channels and rows instead of the positions (2, 3)
import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, cin, cout, k, s, p):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=s, padding=p)
        self.mlp1 = nn.Conv2d(cout, cout, 1)
        self.mlp2 = nn.Conv2d(cout, cout, 1)

    def forward(self, x):
        x = torch.relu(self.conv(x))
        x = torch.relu(self.mlp1(x))
        return torch.relu(self.mlp2(x))


class Head(nn.Module):
    def __init__(self, cin, num_classes):
        super().__init__()
        self.block = Block(cin, num_classes, 3, 1, 1)

    def forward(self, x):
        return self.block(x).mean(dim=(1, 2))


def nin_block(in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0) -> nn.Module:
    return Block(in_channels, out_channels, kernel_size, stride, padding)


def nin_head(in_channels: int, num_classes: int) -> nn.Module:
    return Head(in_channels, num_classes)
