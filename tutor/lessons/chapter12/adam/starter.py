"""Chapter 12 - Adam.

Write the step of the Adam optimizer: the same update as torch.optim.Adam (amsgrad off,
weight decay added to the gradient, bias corrections 1 - beta**t). Read the lesson with
`tutor start`, or ask `tutor hint chapter12/adam` when stuck.
Grade it with: tutor check chapter12/adam
"""

import torch


class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        # The base class sorts `params` into self.param_groups (a list of dicts) and fills every
        # group's missing hyperparameters from `defaults`. It also gives you self.state, a dict
        # from each parameter to a dict of your own (empty until you write to it).
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        """One Adam update of every parameter that has a gradient; returns the closure's loss (or None)."""
        raise NotImplementedError("Adam.step: write me")
