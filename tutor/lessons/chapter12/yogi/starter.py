"""Chapter 12 - Yogi.

Write the step of the Yogi optimizer: Adam with an additive second moment,
s <- s - (1 - beta2) * sign(s - g**2) * g**2, bias corrections 1 - beta**t, eps after the
square root. Read the lesson with `tutor start`, or ask `tutor hint chapter12/yogi` when stuck.
Grade it with: tutor check chapter12/yogi
"""

import torch


class Yogi(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, betas=(0.9, 0.999), eps=1e-3, weight_decay=0.0):
        # The base class sorts `params` into self.param_groups (a list of dicts) and fills every
        # group's missing hyperparameters from `defaults`. It also gives you self.state, a dict
        # from each parameter to a dict of your own (empty until you write to it).
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        """One Yogi update of every parameter that has a gradient; returns the closure's loss (or None)."""
        raise NotImplementedError("Yogi.step: write me")
