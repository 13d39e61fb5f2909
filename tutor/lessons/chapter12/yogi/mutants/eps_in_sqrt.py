# diagnosis: yogi.eps_in_sqrt
# eps inside the square root.
import torch


class Yogi(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, betas=(0.9, 0.999), eps=1e-3, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                if group["weight_decay"] != 0:
                    g = g + group["weight_decay"] * p
                state = self.state[p]
                if len(state) == 0:
                    state["t"] = 0
                    state["m"] = torch.zeros_like(p)
                    state["s"] = torch.zeros_like(p)
                state["t"] += 1
                t = state["t"]
                g2 = g * g
                state["m"] = beta1 * state["m"] + (1 - beta1) * g
                state["s"] = state["s"] + (1 - beta2) * torch.sign(g2 - state["s"]) * g2
                m_hat = state["m"] / (1 - beta1 ** t)
                s_hat = state["s"] / (1 - beta2 ** t)
                p.sub_(group["lr"] * m_hat / (torch.sqrt(s_hat + group["eps"])))
        return loss
