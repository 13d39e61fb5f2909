# diagnosis: momentum.closure_no_grad
# Calls the closure inside the no_grad step, so its backward() has no graph.
import torch


class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            loss = closure()
        for group in self.param_groups:
            lr, mu, damp = group["lr"], group["momentum"], group["dampening"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                if group["weight_decay"] != 0:
                    g = g + group["weight_decay"] * p
                if mu == 0:
                    p.sub_(lr * g)
                    continue
                state = self.state[p]
                if "v" in state:
                    state["v"] = mu * state["v"] + (1 - damp) * g
                else:
                    state["v"] = g.clone()
                v = state["v"]
                if group["nesterov"]:
                    p.sub_(lr * (g + mu * v))
                else:
                    p.sub_(lr * v)
        return loss
