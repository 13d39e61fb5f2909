import torch
from torch import nn
from torch.nn import functional as F


class Layer(nn.Module):
    def __init__(self, cin, k):
        super().__init__()
        self.norm = nn.BatchNorm2d(cin)
        self.conv = nn.Conv2d(cin, k, 3, padding=1, bias=False)

    def forward(self, features):
        # torchvision's habit: keep a list of feature maps and concatenate them on the way in.
        return self.conv(F.relu(self.norm(torch.cat(features, 1))))


class Dense(nn.Module):
    def __init__(self, L, c0, k):
        super().__init__()
        for i in range(L):
            self.add_module(f"layer{i + 1}", Layer(c0 + i * k, k))

    def forward(self, x):
        features = [x]
        for layer in self.children():
            features.append(layer(features))
        return torch.cat(features, 1)


class Transition(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.norm = nn.BatchNorm2d(cin)
        self.conv = nn.Conv2d(cin, cout, 1, bias=False)

    def forward(self, x):
        return F.avg_pool2d(self.conv(F.relu(self.norm(x))), 2)


def dense_block(num_convs, in_channels, growth_rate):
    return Dense(num_convs, in_channels, growth_rate)


def transition_block(in_channels, out_channels):
    return Transition(in_channels, out_channels)
