# diagnosis: tied.bias_untied
from torch import nn


def tied_mlp(in_features, hidden, out_features):
    shared = nn.Linear(hidden, hidden)
    second = nn.Linear(hidden, hidden)
    second.weight = shared.weight
    return nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), shared, nn.ReLU(), second, nn.ReLU(),
                         nn.Linear(hidden, out_features))


def count_parameters(net):
    return sum(p.numel() for p in net.parameters())
