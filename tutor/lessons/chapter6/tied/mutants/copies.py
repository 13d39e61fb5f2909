# diagnosis: tied.copies
from torch import nn


def tied_mlp(in_features, hidden, out_features):
    shared = nn.Linear(hidden, hidden)
    again = nn.Linear(hidden, hidden)
    again.load_state_dict(shared.state_dict())  # equal values, separate Parameters
    return nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), shared, nn.ReLU(), again, nn.ReLU(),
                         nn.Linear(hidden, out_features))


def count_parameters(net):
    return sum(p.numel() for p in net.parameters())
