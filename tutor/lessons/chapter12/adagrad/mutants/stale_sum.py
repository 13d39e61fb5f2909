# diagnosis: adagrad.stale_sum
# Divides by the sum from before this step's g².
import torch


class Adagrad(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, eps=eps))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + group["weight_decay"] * p
                st = self.state[p]
                t = st.get("t", 0) + 1
                old = st.get("s", torch.full_like(p, group["initial_accumulator_value"]))
                s = old + g * g
                st["t"], st["s"] = t, s
                rate = group["lr"] / (1 + (t - 1) * group["lr_decay"])
                p.sub_(rate * g / (torch.sqrt(old) + group["eps"]))
        return loss
