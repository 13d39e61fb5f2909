# diagnosis: residual.projection_ignores_stride
from torch import nn


def residual_block(in_channels, out_channels, stride=1):
    main = nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1), nn.BatchNorm2d(out_channels), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, 3, padding=1), nn.BatchNorm2d(out_channels))
    # Projects only when the channels change: a stride of 2 alone is overlooked.
    shortcut = nn.Conv2d(in_channels, out_channels, 1, stride=stride) if in_channels != out_channels else nn.Identity()

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.main, self.shortcut = main, shortcut

        def forward(self, X):
            return (self.main(X) + self.shortcut(X)).relu()

    return Block()
