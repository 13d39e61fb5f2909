from torch import nn


def tied_mlp(in_features: int, hidden: int, out_features: int) -> nn.Sequential:
    shared = nn.Linear(hidden, hidden)
    return nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(),
                         nn.Linear(hidden, out_features))


def count_parameters(net: nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())
