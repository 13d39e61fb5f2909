"""Trusted reference: Adadelta written by hand, in the order of torch.optim.Adadelta.

The checks compare every learner against torch.optim.Adadelta itself; this file is graded like a
learner's solution and must follow torch's trajectories to the last few digits.
"""

import torch


class Adadelta(torch.optim.Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            rho, eps = group["rho"], group["eps"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["square_avg"] = torch.zeros_like(p)
                    state["acc_delta"] = torch.zeros_like(p)
                g = p.grad
                if group["weight_decay"] != 0:
                    g = g.add(p, alpha=group["weight_decay"])
                s, u = state["square_avg"], state["acc_delta"]
                s.mul_(rho).addcmul_(g, g, value=1 - rho)
                delta = u.add(eps).sqrt_().div_(s.add(eps).sqrt_()).mul_(g)  # the previous u: not updated yet
                u.mul_(rho).addcmul_(delta, delta, value=1 - rho)
                p.add_(delta, alpha=-group["lr"])
        return loss
