"""Trusted reference: RMSProp written by hand, in the order of torch.optim.RMSprop.

The checks compare every learner against torch.optim.RMSprop itself; this file is graded like a
learner's solution and must follow torch's trajectories to the last few digits.
"""

import torch


class RMSprop(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                                      centered=centered))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            alpha, mu = group["alpha"], group["momentum"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["square_avg"] = torch.zeros_like(p)
                    if mu > 0:
                        state["momentum_buffer"] = torch.zeros_like(p)
                    if group["centered"]:
                        state["grad_avg"] = torch.zeros_like(p)
                g = p.grad
                if group["weight_decay"] != 0:
                    g = g.add(p, alpha=group["weight_decay"])
                s = state["square_avg"]
                s.mul_(alpha).addcmul_(g, g, value=1 - alpha)  # no bias correction
                if group["centered"]:
                    m = state["grad_avg"]
                    m.lerp_(g, 1 - alpha)
                    denom = s.addcmul(m, m, value=-1).sqrt_().add_(group["eps"])
                else:
                    denom = s.sqrt().add_(group["eps"])
                if mu > 0:
                    buf = state["momentum_buffer"]
                    buf.mul_(mu).addcdiv_(g, denom)  # the buffer collects scaled steps
                    p.add_(buf, alpha=-group["lr"])
                else:
                    p.addcdiv_(g, denom, value=-group["lr"])
        return loss
