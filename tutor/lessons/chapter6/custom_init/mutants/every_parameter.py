# diagnosis: custom_init.not_only_linear
import torch


def init_weights(m):
    with torch.no_grad():
        for p in m.parameters():
            p.uniform_(-10, 10)
            p.mul_(p.abs() >= 5)
