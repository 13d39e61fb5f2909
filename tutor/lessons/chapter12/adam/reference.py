"""Trusted reference: Adam written by hand, in the same order of operations as torch.optim.Adam.

The checks compare every learner against torch.optim.Adam itself; this file is graded like a
learner's solution and must follow torch's trajectories to the last few digits.
"""

import math

import torch


class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue  # no gradient: no update, and this parameter's step count stays put
                grad = p.grad
                if group["weight_decay"] != 0:
                    grad = grad.add(p, alpha=group["weight_decay"])  # L2: decay joins the gradient
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                state["step"] += 1
                t = state["step"]
                m, v = state["exp_avg"], state["exp_avg_sq"]
                m.lerp_(grad, 1 - beta1)  # m ← β₁·m + (1 − β₁)·g
                v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)  # v ← β₂·v + (1 − β₂)·g²
                step_size = group["lr"] / (1 - beta1 ** t)  # lr · m̂ = lr · m / (1 − β₁ᵗ)
                denom = (v.sqrt() / math.sqrt(1 - beta2 ** t)).add_(group["eps"])  # √v̂ + ε
                p.addcdiv_(m, denom, value=-step_size)
        return loss
