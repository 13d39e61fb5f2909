# mistake: computes sign(z) as z / |z|, which is NaN for a weight that is exactly 0
import torch


def penalized_step(w: torch.Tensor, b: torch.Tensor, X: torch.Tensor, y: torch.Tensor,
                   lr: float, lam: float, penalty: str) -> tuple[torch.Tensor, torch.Tensor]:
    if penalty not in {"none", "l1", "l2"}:
        raise ValueError("bad penalty")
    r = X @ w + b - y
    gw = X.T @ r / len(r)
    gb = r.mean()
    if penalty == "l2":
        gw = gw + lam * w
    new_w = w - lr * gw
    if penalty == "l1":
        sgn = new_w / new_w.abs()
        new_w = sgn * torch.maximum(new_w.abs() - lr * lam, torch.zeros_like(new_w))
    return new_w, b - lr * gb
