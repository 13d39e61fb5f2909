"""Chapter 12 - Adagrad.

Write the step of Adagrad: the same update as torch.optim.Adagrad (a per-coordinate sum of squared
gradients, lr_decay, weight decay added to the gradient). Read the lesson with `tutor start`, or
ask `tutor hint chapter12/adagrad` when stuck.
Grade it with: tutor check chapter12/adagrad
"""

import torch


class Adagrad(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10):
        # The base class sorts `params` into self.param_groups (a list of dicts) and fills every
        # group's missing hyperparameters from `defaults`. self.state is a dict from each parameter
        # to a dict of your own (empty until you write to it): keep the sum of squares there.
        defaults = dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, eps=eps)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns the closure's loss (or None)."""
        raise NotImplementedError("Adagrad.step: write me")
