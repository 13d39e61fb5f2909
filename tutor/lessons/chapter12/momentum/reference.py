"""Trusted reference: SGD with momentum written by hand, in the order of torch.optim.SGD.

The checks compare every learner against torch.optim.SGD itself; this file is graded like a
learner's solution and must follow torch's trajectories to the last few digits.
"""

import torch


class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            mu, damp = group["momentum"], group["dampening"]
            for p in group["params"]:
                if p.grad is None:
                    continue  # no gradient: no step, and the velocity is left as it was
                d_p = p.grad
                if group["weight_decay"] != 0:
                    d_p = d_p.add(p, alpha=group["weight_decay"])  # L2: decay joins the gradient
                if mu != 0:
                    state = self.state[p]
                    if "velocity" not in state:
                        state["velocity"] = d_p.clone()  # the first velocity is the gradient itself
                    else:
                        state["velocity"].mul_(mu).add_(d_p, alpha=1 - damp)
                    v = state["velocity"]
                    d_p = d_p.add(v, alpha=mu) if group["nesterov"] else v
                p.add_(d_p, alpha=-group["lr"])
        return loss
