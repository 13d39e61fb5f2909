# mistake: soft-thresholds by lambda instead of lr * lambda, so the L1 shrinkage ignores the step size
import torch


def penalized_step(w: torch.Tensor, b: torch.Tensor, X: torch.Tensor, y: torch.Tensor,
                   lr: float, lam: float, penalty: str) -> tuple[torch.Tensor, torch.Tensor]:
    n = len(y)
    r = X @ w + b - y
    data_w = X.T @ r / n
    data_b = r.sum() / n
    if penalty == "none":
        return w - lr * data_w, b - lr * data_b
    if penalty == "l2":
        return (1 - lr * lam) * w - lr * data_w, b - lr * data_b
    if penalty == "l1":
        z = w - lr * data_w
        return torch.sign(z) * torch.relu(z.abs() - lam), b - lr * data_b
    raise ValueError(f"unknown penalty: {penalty}")
