"""An OrderedDict of named layers (the same object under two names), and a count that
deduplicates by identity itself."""
from collections import OrderedDict

from torch import nn


def tied_mlp(in_features, hidden, out_features):
    first = nn.Linear(in_features, hidden)
    shared = nn.Linear(hidden, hidden)
    last = nn.Linear(hidden, out_features)
    return nn.Sequential(OrderedDict([
        ("0", first), ("1", nn.ReLU()), ("2", shared), ("3", nn.ReLU()), ("4", shared), ("5", nn.ReLU()), ("6", last),
    ]))


def count_parameters(net):
    seen = {}
    for _, p in net.named_parameters(remove_duplicate=False):
        seen[id(p)] = p.numel()
    return int(sum(seen.values()))
