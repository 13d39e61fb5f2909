# mistake: differentiates (lambda/2)||w||^2 as 2*lambda*w, so the L2 decay is twice too strong
import torch


def penalized_step(w: torch.Tensor, b: torch.Tensor, X: torch.Tensor, y: torch.Tensor,
                   lr: float, lam: float, penalty: str) -> tuple[torch.Tensor, torch.Tensor]:
    r = X @ w + b - y
    grad_w = X.T @ r / len(y)
    grad_b = r.mean()
    if penalty == "none":
        w_new = w - lr * grad_w
    elif penalty == "l2":
        w_new = w - lr * (grad_w + 2 * lam * w)
    elif penalty == "l1":
        z = w - lr * grad_w
        w_new = z.sign() * (z.abs() - lr * lam).clamp(min=0)
    else:
        raise ValueError(penalty)
    return w_new, b - lr * grad_b
