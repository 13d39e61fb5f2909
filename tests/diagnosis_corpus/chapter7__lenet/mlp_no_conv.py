# mistake: builds a plain multilayer perceptron on the flattened pixels, with no convolution layers at all
import torch  # noqa: F401
from torch import nn


def lenet() -> nn.Module:
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(64, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
    )
