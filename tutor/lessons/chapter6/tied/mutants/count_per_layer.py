# diagnosis: tied.count_twice
from torch import nn


def tied_mlp(in_features, hidden, out_features):
    shared = nn.Linear(hidden, hidden)
    return nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(),
                         nn.Linear(hidden, out_features))


def count_parameters(net):
    return sum(p.numel() for layer in net for p in layer.parameters())
