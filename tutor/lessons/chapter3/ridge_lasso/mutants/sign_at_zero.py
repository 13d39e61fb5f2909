# diagnosis: lasso.sign_at_zero
# sign(z) written as z / |z|: NaN at z = 0.
import torch


def penalized_step(w: torch.Tensor, b: torch.Tensor, X: torch.Tensor, y: torch.Tensor,
                   lr: float, lam: float, penalty: str) -> tuple[torch.Tensor, torch.Tensor]:
    if penalty not in ("none", "l2", "l1"):
        raise ValueError(f"unknown penalty {penalty!r}: expected 'none', 'l2' or 'l1'")
    r = X @ w + b - y
    grad_w = X.T @ r / len(y)
    grad_b = r.mean()
    if penalty == "l2":
        grad_w = grad_w + lam * w
    w_new = w - lr * grad_w
    if penalty == "l1":
        w_new = w_new / w_new.abs() * torch.clamp(w_new.abs() - lr * lam, min=0)
    return w_new, b - lr * grad_b
