# mistake: applies the L2 weight decay to the bias as well as to w
import torch


def penalized_step(w: torch.Tensor, b: torch.Tensor, X: torch.Tensor, y: torch.Tensor,
                   lr: float, lam: float, penalty: str) -> tuple[torch.Tensor, torch.Tensor]:
    if penalty not in ("none", "l2", "l1"):
        raise ValueError(f"unknown penalty {penalty!r}")
    n = X.shape[0]
    r = X @ w + b - y
    g_w = X.T @ r / n
    g_b = r.sum() / n
    if penalty == "l2":
        return w - lr * (g_w + lam * w), b - lr * (g_b + lam * b)
    if penalty == "l1":
        z = w - lr * g_w
        return torch.sign(z) * torch.clamp(z.abs() - lr * lam, min=0), b - lr * g_b
    return w - lr * g_w, b - lr * g_b
