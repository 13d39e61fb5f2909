# diagnosis: generic.input_mutated
import torch


def penalized_step(w, b, X, y, lr, lam, penalty):
    if penalty not in ("none", "l2", "l1"):
        raise ValueError(penalty)
    r = X @ w + b - y
    grad_w = X.T @ r / len(y)
    if penalty == "l2":
        grad_w += lam * w
    w -= lr * grad_w
    if penalty == "l1":
        w.copy_(torch.sign(w) * torch.clamp(w.abs() - lr * lam, min=0))
    b -= lr * r.mean()
    return w, b
