# diagnosis: adadelta.ignores_groups
# Uses the constructor's hyperparameters for every group.
import torch


class Adadelta(torch.optim.Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        self.hyper = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay)
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            h = self.hyper
            rho, eps, lr = h["rho"], h["eps"], h["lr"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + h["weight_decay"] * p
                st = self.state[p]
                s = rho * st.get("s", torch.zeros_like(p)) + (1 - rho) * g * g
                u = st.get("u", torch.zeros_like(p))
                delta = torch.sqrt(u + eps) / torch.sqrt(s + eps) * g
                st["s"] = s
                st["u"] = rho * u + (1 - rho) * delta * delta
                p.sub_(lr * delta)
        return loss
