"""Build the new weight as a separate tensor with torch.where, then copy it into the Parameter."""
import torch
from torch import nn


def init_weights(m):
    if type(m) is not nn.Linear:
        return
    w = torch.rand(m.weight.shape) * 20 - 10
    w = torch.where(w.abs() < 5, torch.zeros_like(w), w)
    with torch.no_grad():
        m.weight.copy_(w)
        if m.bias is not None:
            m.bias.fill_(0.0)
