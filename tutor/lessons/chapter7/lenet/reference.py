from torch import nn


def lenet() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=3, padding=1), nn.ReLU(),   # (N, 6, 8, 8)
        nn.AvgPool2d(kernel_size=2, stride=2),                  # (N, 6, 4, 4)
        nn.Conv2d(6, 16, kernel_size=3, padding=1), nn.ReLU(),  # (N, 16, 4, 4)
        nn.AvgPool2d(kernel_size=2, stride=2),                  # (N, 16, 2, 2)
        nn.Flatten(),                                           # (N, 64)
        nn.Linear(16 * 2 * 2, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
    )
