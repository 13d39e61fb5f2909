"""Trusted reference: torch.optim.Adam itself, behind the exercise's signature."""

import torch


class Adam(torch.optim.Adam):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        # foreach=False: the plain per-tensor loop, the same arithmetic on every machine.
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=False,
                         foreach=False)
