"""Correct: the velocity kept with the opposite sign (the direction the parameter moves, u = −v),
the whole group updated with torch._foreach_* list operations on .data (no no_grad decorator)."""

import torch


class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
        super().__init__(params, {"lr": lr, "momentum": momentum, "dampening": dampening,
                                  "weight_decay": weight_decay, "nesterov": nesterov})

    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            live = [p for p in group["params"] if p.grad is not None]
            if not live:
                continue
            data = [p.data for p in live]
            grads = [p.grad.data for p in live]
            if group["weight_decay"]:
                grads = torch._foreach_add(grads, data, alpha=group["weight_decay"])
            mu = group["momentum"]
            if mu == 0:
                torch._foreach_add_(data, grads, alpha=-group["lr"])
                continue
            ups = []
            for p, g in zip(live, grads):
                st = self.state[p]
                if "u" not in st:
                    st["u"] = -g  # u = −v: the first velocity is the gradient itself
                else:
                    st["u"].mul_(mu).sub_(g, alpha=1 - group["dampening"])
                ups.append(st["u"])
            if group["nesterov"]:
                # −(g + μ·v) = μ·u − g
                moves = torch._foreach_mul(ups, mu)
                torch._foreach_sub_(moves, grads)
            else:
                moves = ups
            torch._foreach_add_(data, moves, alpha=group["lr"])
        return loss
