# diagnosis: rmsprop.bias_corrected
# Adam's bias correction applied to s.
import torch


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
            a, mu, eps = group["alpha"], group["momentum"], group["eps"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + group["weight_decay"] * p
                st = self.state[p]
                s = a * st.get("s", torch.zeros_like(p)) + (1 - a) * g * g
                st["s"] = s
                st["t"] = st.get("t", 0) + 1
                s = s / (1 - a ** st["t"])
                if group["centered"]:
                    m = a * st.get("m", torch.zeros_like(p)) + (1 - a) * g
                    st["m"] = m
                    denom = torch.sqrt(s - m * m) + eps
                else:
                    denom = torch.sqrt(s) + eps
                if mu > 0:
                    st["buf"] = mu * st.get("buf", torch.zeros_like(p)) + g / denom
                    p.sub_(group["lr"] * st["buf"])
                else:
                    p.sub_(group["lr"] * g / denom)
        return loss
