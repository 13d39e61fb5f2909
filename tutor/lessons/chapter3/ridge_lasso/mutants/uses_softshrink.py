# diagnosis: any
# verdict: forbidden
import torch


def penalized_step(w, b, X, y, lr, lam, penalty):
    if penalty not in ("none", "l2", "l1"):
        raise ValueError(penalty)
    r = X @ w + b - y
    grad_w = X.T @ r / len(y) + (lam * w if penalty == "l2" else 0)
    w_new = w - lr * grad_w
    if penalty == "l1":
        w_new = torch.nn.functional.softshrink(w_new, lr * lam)
    return w_new, b - lr * r.mean()
