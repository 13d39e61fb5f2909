"""Trusted reference: Yogi written by hand, laid out like torch.optim.Adam's per-tensor loop.

torch has no Yogi, so the checks compare every learner against an independent implementation in
checks.py (`yogi_oracle`); this file is graded like a learner's solution and must follow it.
"""

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
                    continue  # no gradient: no update, and this parameter's step count stays put
                grad = p.grad
                if group["weight_decay"] != 0:
                    grad = grad.add(p, alpha=group["weight_decay"])  # L2: decay joins the gradient
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["second"] = torch.zeros_like(p)
                state["step"] += 1
                t = state["step"]
                m, s = state["exp_avg"], state["second"]
                m.lerp_(grad, 1 - beta1)  # m ← β₁·m + (1 − β₁)·g
                g2 = grad * grad
                s.addcmul_(torch.sign(s - g2), g2, value=-(1 - beta2))  # s ← s − (1 − β₂)·sign(s − g²)·g²
                m_hat = m / (1 - beta1 ** t)
                s_hat = s / (1 - beta2 ** t)
                p.addcdiv_(m_hat, s_hat.sqrt().add_(group["eps"]), value=-group["lr"])  # ε after the root
        return loss
