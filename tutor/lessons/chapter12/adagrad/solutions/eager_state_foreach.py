"""Correct: the state created for every parameter in __init__ (as torch does), each group updated
with torch._foreach_* list operations on .data, no no_grad decorator."""

import torch


class Adagrad(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10):
        super().__init__(params, {"lr": lr, "lr_decay": lr_decay, "weight_decay": weight_decay,
                                  "initial_accumulator_value": initial_accumulator_value, "eps": eps})
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p]["count"] = 0
                self.state[p]["acc"] = torch.full_like(p.data, group["initial_accumulator_value"])

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
            accs = [self.state[p]["acc"] for p in live]
            torch._foreach_addcmul_(accs, grads, grads)
            denoms = torch._foreach_sqrt(accs)
            torch._foreach_add_(denoms, group["eps"])
            for p, d, g, denom in zip(live, data, grads, denoms):
                self.state[p]["count"] += 1
                clr = group["lr"] / (1 + (self.state[p]["count"] - 1) * group["lr_decay"])
                d.addcdiv_(g, denom, value=-clr)
        return loss
