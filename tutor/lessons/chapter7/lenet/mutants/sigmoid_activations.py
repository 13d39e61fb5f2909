# diagnosis: lenet.saturating_activation
from torch import nn


def lenet():
    # The 1998 activation: correct, but it learns far too slowly for the short training run.
    return nn.Sequential(
        nn.Conv2d(1, 6, 3, padding=1), nn.Sigmoid(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 3, padding=1), nn.Sigmoid(), nn.AvgPool2d(2),
        nn.Flatten(), nn.Linear(64, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10),
    )
