from torch import nn


def lenet():
    # A 5×5 first kernel with padding 2 (as in the 1998 network); LazyLinear infers its input size.
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.ReLU(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, kernel_size=3, padding=1), nn.ReLU(), nn.AvgPool2d(2),
        nn.Flatten(), nn.LazyLinear(120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )
