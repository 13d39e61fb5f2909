# mistake: updates w and b in place with -= and returns them, which changes the caller's tensors
import torch


def penalized_step(w: torch.Tensor, b: torch.Tensor, X: torch.Tensor, y: torch.Tensor,
                   lr: float, lam: float, penalty: str) -> tuple[torch.Tensor, torch.Tensor]:
    if penalty not in ("none", "l2", "l1"):
        raise ValueError(penalty)
    r = X @ w + b - y
    g_w = X.T @ r / X.shape[0]
    g_b = r.mean()
    if penalty == "l2":
        g_w = g_w + lam * w
    w -= lr * g_w
    b -= lr * g_b
    if penalty == "l1":
        w.copy_(torch.sign(w) * torch.clamp(w.abs() - lr * lam, min=0))
    return w, b
