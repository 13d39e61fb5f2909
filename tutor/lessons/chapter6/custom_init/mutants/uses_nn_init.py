# verdict: forbidden
import torch
from torch import nn


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.uniform_(m.weight, -10, 10)
        with torch.no_grad():
            m.weight.mul_(m.weight.abs() >= 5)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
