# diagnosis: generic.nonfinite
# sign(x) computed as x / |x|: 0/0 = NaN wherever s = g² = 0 (a coordinate that never had a gradient).
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
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad.add(p, alpha=group["weight_decay"])
                st = self.state.setdefault(p, {})
                if not st:
                    st.update(t=0, m=torch.zeros_like(p), s=torch.zeros_like(p))
                st["t"] += 1
                diff = st["s"] - g * g
                st["m"] = b1 * st["m"] + (1 - b1) * g
                st["s"] = st["s"] - (1 - b2) * (diff / diff.abs()) * g * g
                m_hat = st["m"] / (1 - b1 ** st["t"])
                s_hat = st["s"] / (1 - b2 ** st["t"])
                p.sub_(group["lr"] * m_hat / (s_hat.sqrt() + group["eps"]))
        return loss
