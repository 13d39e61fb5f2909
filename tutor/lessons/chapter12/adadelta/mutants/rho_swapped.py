# diagnosis: adadelta.rho_swapped
# ρ weighs the new square instead of the past.
import torch


class Adadelta(torch.optim.Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            rho, eps, lr = group["rho"], group["eps"], group["lr"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + group["weight_decay"] * p
                st = self.state[p]
                s = (1 - rho) * st.get("s", torch.zeros_like(p)) + rho * g * g
                u = st.get("u", torch.zeros_like(p))
                delta = torch.sqrt(u + eps) / torch.sqrt(s + eps) * g
                st["s"] = s
                st["u"] = (1 - rho) * u + rho * delta * delta
                p.sub_(lr * delta)
        return loss
