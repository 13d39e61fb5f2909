# diagnosis: any
# verdict: forbidden
# Reaches torch's functional Adam through its module instead of writing the update.
import importlib

import torch


class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        functional = importlib.import_module("torch.optim.adam")
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            for p in params:
                st = self.state[p]
                if not st:
                    st["step"] = torch.tensor(0.0)
                    st["m"] = torch.zeros_like(p)
                    st["v"] = torch.zeros_like(p)
            functional.adam(params, [p.grad for p in params], [self.state[p]["m"] for p in params],
                            [self.state[p]["v"] for p in params], [], [self.state[p]["step"] for p in params],
                            foreach=False, amsgrad=False, beta1=group["betas"][0], beta2=group["betas"][1],
                            lr=group["lr"], weight_decay=group["weight_decay"], eps=group["eps"], maximize=False)
        return None
