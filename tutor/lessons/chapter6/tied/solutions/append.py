"""Layers appended one by one; the count walks every module's own parameters with a set of
those already counted."""
from torch import nn


def tied_mlp(in_features, hidden, out_features):
    net = nn.Sequential()
    shared = nn.Linear(hidden, hidden)
    for layer in (nn.Linear(in_features, hidden), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(),
                  nn.Linear(hidden, out_features)):
        net.append(layer)
    return net


def count_parameters(net):
    counted, total = set(), 0
    for module in net.modules():
        for p in module.parameters(recurse=False):
            if id(p) not in counted:
                counted.add(id(p))
                total += p.numel()
    return total
