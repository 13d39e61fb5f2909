# mistake: ends the network with nn.Softmax so that it "outputs probabilities", although the loss applies softmax itself
import torch  # noqa: F401
from torch import nn


def lenet() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=3, padding=1), nn.ReLU(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, kernel_size=3, padding=1), nn.ReLU(), nn.AvgPool2d(2),
        nn.Flatten(),
        nn.Linear(64, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
        nn.Softmax(dim=1),
    )
