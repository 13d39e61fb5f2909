"""Correct: the whole group at once with torch._foreach_* list operations; state kept per
parameter, step counts in a list, closure loss returned; no torch.no_grad decorator (the
foreach ops on .data do not record a graph)."""

import torch


class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay})

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
                if "t" not in self.state[p]:
                    self.state[p].update(t=0, m=torch.zeros_like(p.data), v=torch.zeros_like(p.data))
                self.state[p]["t"] += 1
            data = [p.data for p in live]
            grads = [p.grad.data for p in live]
            if group["weight_decay"]:
                grads = torch._foreach_add(grads, data, alpha=group["weight_decay"])
            ms = [self.state[p]["m"] for p in live]
            vs = [self.state[p]["v"] for p in live]
            b1, b2 = group["betas"]
            torch._foreach_mul_(ms, b1)
            torch._foreach_add_(ms, grads, alpha=1 - b1)
            torch._foreach_mul_(vs, b2)
            torch._foreach_addcmul_(vs, grads, grads, value=1 - b2)
            for p, x, m, v in zip(live, data, ms, vs):
                t = self.state[p]["t"]
                m_hat = m / (1 - b1 ** t)
                v_hat = v / (1 - b2 ** t)
                x.add_(-group["lr"] * m_hat / (v_hat.sqrt() + group["eps"]))
        return loss
