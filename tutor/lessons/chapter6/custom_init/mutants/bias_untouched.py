# diagnosis: custom_init.bias_not_zero
import torch
from torch import nn


def init_weights(m: nn.Module) -> None:
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            m.weight.uniform_(-10, 10)
            m.weight.mul_(m.weight.abs() >= 5)
