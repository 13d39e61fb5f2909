"""Chapter 12 - RMSProp.

Write the step of RMSProp: the same update as torch.optim.RMSprop (a leaky average of squared
gradients, optional momentum and centering, weight decay added to the gradient). Read the lesson
with `tutor start`, or ask `tutor hint chapter12/rmsprop` when stuck.
Grade it with: tutor check chapter12/rmsprop
"""

import torch


class RMSprop(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
        # The base class sorts `params` into self.param_groups (a list of dicts) and fills every
        # group's missing hyperparameters from `defaults`. self.state is a dict from each parameter
        # to a dict of your own (empty until you write to it): keep the averages there.
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum, centered=centered)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns the closure's loss (or None)."""
        raise NotImplementedError("RMSprop.step: write me")
