import torch
from torch import nn


def init_weights(m: nn.Module) -> None:
    """For net.apply(init_weights): if m is an nn.Linear, draw its weight from U(-10, 10), set the
    entries with |w| < 5 to 0 and the bias to 0, in place; leave every other module alone."""
    raise NotImplementedError("init_weights: write me")
