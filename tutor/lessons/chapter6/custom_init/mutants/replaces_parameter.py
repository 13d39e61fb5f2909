# diagnosis: custom_init.replaced_parameter
import torch
from torch import nn


def init_weights(m):
    if isinstance(m, nn.Linear):
        w = torch.empty_like(m.weight).uniform_(-10, 10)
        m.weight = nn.Parameter(w * (w.abs() >= 5))
        if m.bias is not None:
            m.bias = nn.Parameter(torch.zeros_like(m.bias))
