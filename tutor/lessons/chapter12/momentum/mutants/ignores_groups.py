# diagnosis: momentum.ignores_groups
# Uses the constructor's hyperparameters for every group.
import torch


class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
        self.hyper = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                          nesterov=nesterov)
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr, mu, damp = self.hyper["lr"], self.hyper["momentum"], self.hyper["dampening"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                if self.hyper["weight_decay"] != 0:
                    g = g + self.hyper["weight_decay"] * p
                if mu == 0:
                    p.sub_(lr * g)
                    continue
                state = self.state[p]
                if "v" in state:
                    state["v"] = mu * state["v"] + (1 - damp) * g
                else:
                    state["v"] = g.clone()
                v = state["v"]
                if self.hyper["nesterov"]:
                    p.sub_(lr * (g + mu * v))
                else:
                    p.sub_(lr * v)
        return loss
