from torch import nn


class Block(nn.Module):
    """The two branches as nn.Sequential modules, the shortcut an nn.Identity when nothing changes;
    the shortcut is registered (and called) first, and the convolutions have no bias (batch norm
    follows them, so a bias would be cancelled anyway)."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        if cin == cout and stride == 1:
            self.shortcut = nn.Identity()
        else:
            self.shortcut = nn.Conv2d(cin, cout, 1, stride=stride, bias=False)
        self.body = nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
            nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
        )
        self.act = nn.ReLU()

    def forward(self, x):
        skip = self.shortcut(x)
        return self.act(skip + self.body(x))


def residual_block(in_channels, out_channels, stride=1):
    return Block(in_channels, out_channels, stride)
