import torch
from torch import nn


class NiNBlock(nn.Module):
    def __init__(self, cin, cout, k, stride, padding):
        super().__init__()
        self.spatial = nn.Conv2d(cin, cout, k, stride, padding)
        self.mlp = nn.ModuleList([nn.Conv2d(cout, cout, 1), nn.Conv2d(cout, cout, 1)])

    def forward(self, x):
        x = torch.relu(self.spatial(x))
        for conv in self.mlp:
            x = torch.relu(conv(x))
        return x


class NiNHead(nn.Module):
    def __init__(self, cin, classes):
        super().__init__()
        self.block = NiNBlock(cin, classes, 3, 1, 1)

    def forward(self, x):
        return self.block(x).mean(dim=(2, 3))  # global average pooling, written out


def nin_block(in_channels, out_channels, kernel_size, stride=1, padding=0):
    return NiNBlock(in_channels, out_channels, kernel_size, stride, padding)


def nin_head(in_channels, num_classes):
    return NiNHead(in_channels, num_classes)
