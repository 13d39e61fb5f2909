"""Correct: each group updated with torch._foreach_* list operations on .data (no no_grad decorator),
the averages written as lerps towards the new values: s ← s + (1 − α)·(g² − s)."""

import torch


class RMSprop(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
        super().__init__(params, {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weight_decay,
                                  "momentum": momentum, "centered": centered})

    def _buffers(self, live, name):
        for p in live:
            if name not in self.state[p]:
                self.state[p][name] = torch.zeros_like(p.data)
        return [self.state[p][name] for p in live]

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
            squares = self._buffers(live, "sq")
            torch._foreach_lerp_(squares, torch._foreach_mul(grads, grads), 1 - group["alpha"])
            if group["centered"]:
                means = self._buffers(live, "mean")
                torch._foreach_lerp_(means, grads, 1 - group["alpha"])
                var = torch._foreach_sub(squares, torch._foreach_mul(means, means))
                denoms = torch._foreach_sqrt(var)
            else:
                denoms = torch._foreach_sqrt(squares)
            torch._foreach_add_(denoms, group["eps"])
            steps = torch._foreach_div(grads, denoms)
            if group["momentum"] > 0:
                bufs = self._buffers(live, "buf")
                torch._foreach_mul_(bufs, group["momentum"])
                torch._foreach_add_(bufs, steps)
                steps = bufs
            torch._foreach_add_(data, steps, alpha=-group["lr"])
        return loss
