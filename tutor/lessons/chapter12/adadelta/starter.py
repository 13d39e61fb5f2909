"""Chapter 12 - Adadelta.

Write the step of Adadelta: the same update as torch.optim.Adadelta (leaky averages of squared
gradients and of squared updates, weight decay added to the gradient). Read the lesson with
`tutor start`, or ask `tutor hint chapter12/adadelta` when stuck.
Grade it with: tutor check chapter12/adadelta
"""

import torch


class Adadelta(torch.optim.Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        # The base class sorts `params` into self.param_groups (a list of dicts) and fills every
        # group's missing hyperparameters from `defaults`. self.state is a dict from each parameter
        # to a dict of your own (empty until you write to it): keep both averages there.
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns the closure's loss (or None)."""
        raise NotImplementedError("Adadelta.step: write me")
