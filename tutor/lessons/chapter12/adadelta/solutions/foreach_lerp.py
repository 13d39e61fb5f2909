"""Correct: each group updated with torch._foreach_* list operations on .data (no no_grad decorator),
the averages written as lerps towards the new squares, the ratio as one square root of a quotient."""

import torch


class Adadelta(torch.optim.Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        super().__init__(params, {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay})

    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            live = [p for p in group["params"] if p.grad is not None]
            if not live:
                continue
            for p in live:
                if "sq" not in self.state[p]:
                    self.state[p]["sq"] = torch.zeros_like(p.data)
                    self.state[p]["upd"] = torch.zeros_like(p.data)
            data = [p.data for p in live]
            grads = [p.grad.data for p in live]
            if group["weight_decay"]:
                grads = torch._foreach_add(grads, data, alpha=group["weight_decay"])
            sq = [self.state[p]["sq"] for p in live]
            upd = [self.state[p]["upd"] for p in live]
            weight = 1 - group["rho"]
            torch._foreach_lerp_(sq, torch._foreach_mul(grads, grads), weight)
            ratio = torch._foreach_div(torch._foreach_add(upd, group["eps"]), torch._foreach_add(sq, group["eps"]))
            deltas = torch._foreach_mul(torch._foreach_sqrt(ratio), grads)
            torch._foreach_lerp_(upd, torch._foreach_mul(deltas, deltas), weight)
            torch._foreach_add_(data, deltas, alpha=-group["lr"])
        return loss
