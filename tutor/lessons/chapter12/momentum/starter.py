"""Chapter 12 - Momentum.

Write the step of SGD with momentum: the same update as torch.optim.SGD (momentum, dampening,
Nesterov, weight decay added to the gradient). Read the lesson with `tutor start`, or ask
`tutor hint chapter12/momentum` when stuck.
Grade it with: tutor check chapter12/momentum
"""

import torch


class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
        # The base class sorts `params` into self.param_groups (a list of dicts) and fills every
        # group's missing hyperparameters from `defaults`. self.state is a dict from each parameter
        # to a dict of your own (empty until you write to it): keep the velocity there.
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay, nesterov=nesterov)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns the closure's loss (or None)."""
        raise NotImplementedError("SGD.step: write me")
