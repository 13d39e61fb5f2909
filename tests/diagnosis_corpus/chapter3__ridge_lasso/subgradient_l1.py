# mistake: takes a subgradient step with lambda*sign(w) for L1 instead of the proximal soft-thresholding step
import torch


def penalized_step(w: torch.Tensor, b: torch.Tensor, X: torch.Tensor, y: torch.Tensor,
                   lr: float, lam: float, penalty: str) -> tuple[torch.Tensor, torch.Tensor]:
    residual = X @ w + b - y
    g_w = X.T @ residual / X.shape[0]
    g_b = residual.mean()
    if penalty == "none":
        pass
    elif penalty == "l2":
        g_w = g_w + lam * w
    elif penalty == "l1":
        g_w = g_w + lam * torch.sign(w)
    else:
        raise ValueError(f"penalty must be 'none', 'l2' or 'l1', not {penalty!r}")
    return w - lr * g_w, b - lr * g_b
