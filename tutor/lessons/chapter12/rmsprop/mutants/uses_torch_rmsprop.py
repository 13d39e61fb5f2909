# diagnosis: any
# verdict: forbidden
# Calls torch's functional RMSprop instead of writing the update.
import torch
from torch.optim import _functional


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
            live = [p for p in group["params"] if p.grad is not None]
            for p in live:
                st = self.state[p]
                if not st:
                    st["step"] = torch.tensor(0.0)
                    st["sq"] = torch.zeros_like(p)
                    st["buf"] = torch.zeros_like(p)
                    st["avg"] = torch.zeros_like(p)
            _functional.rmsprop(live, [p.grad for p in live], [self.state[p]["sq"] for p in live],
                                [self.state[p]["avg"] for p in live], [self.state[p]["buf"] for p in live],
                                [self.state[p]["step"] for p in live], lr=group["lr"], alpha=group["alpha"],
                                eps=group["eps"], weight_decay=group["weight_decay"], momentum=group["momentum"],
                                centered=group["centered"], foreach=False)
        return loss
