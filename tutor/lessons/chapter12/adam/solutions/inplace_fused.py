"""Correct: in-place updates (lerp_, addcmul_, addcdiv_) with the bias corrections folded into
one step size and one denominator, as the library does; no @no_grad decorator, p.data instead."""

import math

import torch
from torch.optim import Optimizer


class Adam(Optimizer):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0):
        if lr < 0 or eps < 0 or not (0 <= betas[0] < 1 and 0 <= betas[1] < 1):
            raise ValueError("invalid Adam hyperparameters")
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay})

    def step(self, closure=None):
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
            for param in group["params"]:
                if param.grad is None:
                    continue
                grad = param.grad.detach()
                data = param.data
                if wd:
                    grad = grad.add(data, alpha=wd)
                st = self.state[param]
                if "step" not in st:
                    st["step"] = 0.0
                    st["exp_avg"] = torch.zeros_like(data, memory_format=torch.preserve_format)
                    st["exp_avg_sq"] = torch.zeros_like(data, memory_format=torch.preserve_format)
                st["step"] += 1
                st["exp_avg"].lerp_(grad, 1 - b1)
                st["exp_avg_sq"].mul_(b2).addcmul_(grad, grad, value=1 - b2)
                step_size = lr / (1 - b1 ** st["step"])
                denom = (st["exp_avg_sq"].sqrt() / math.sqrt(1 - b2 ** st["step"])).add_(eps)
                data.addcdiv_(st["exp_avg"], denom, value=-step_size)
        return loss
