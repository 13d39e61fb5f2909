# diagnosis: lenet.no_convolution
from torch import nn


def lenet():
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
