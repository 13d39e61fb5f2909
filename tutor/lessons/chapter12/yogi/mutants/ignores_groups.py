# diagnosis: yogi.ignores_groups
# The constructor's hyperparameters used for every group.
import torch


class Yogi(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, betas=(0.9, 0.999), eps=1e-3, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        beta1, beta2 = self.betas
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + self.weight_decay * p
                state = self.state[p]
                if len(state) == 0:
                    state.update(t=0, m=torch.zeros_like(p), s=torch.zeros_like(p))
                state["t"] += 1
                t = state["t"]
                g2 = g * g
                state["m"] = beta1 * state["m"] + (1 - beta1) * g
                state["s"] = state["s"] - (1 - beta2) * torch.sign(state["s"] - g2) * g2
                m_hat = state["m"] / (1 - beta1 ** t)
                s_hat = state["s"] / (1 - beta2 ** t)
                p.sub_(self.lr * m_hat / (s_hat.sqrt() + self.eps))
        return loss
