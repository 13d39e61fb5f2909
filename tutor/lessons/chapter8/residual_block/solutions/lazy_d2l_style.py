from torch import nn
from torch.nn import functional as F


class Residual(nn.Module):
    """D2L's version: lazy layers that learn their input channels on the first call, and a flag
    that says whether to project the shortcut."""

    def __init__(self, num_channels, use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = nn.LazyConv2d(num_channels, kernel_size=3, padding=1, stride=strides)
        self.conv2 = nn.LazyConv2d(num_channels, kernel_size=3, padding=1)
        self.conv3 = nn.LazyConv2d(num_channels, kernel_size=1, stride=strides) if use_1x1conv else None
        self.bn1 = nn.LazyBatchNorm2d()
        self.bn2 = nn.LazyBatchNorm2d()

    def forward(self, X):
        Y = F.relu(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3 is not None:
            X = self.conv3(X)
        Y += X
        return F.relu(Y)


def residual_block(in_channels: int, out_channels: int, stride: int = 1) -> nn.Module:
    # The lazy layers get their input channels from the first batch they see.
    return Residual(out_channels, use_1x1conv=in_channels != out_channels or stride != 1, strides=stride)
