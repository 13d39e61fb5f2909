"""Correct: L2 written as weight decay (1 − ηλ)w; L1 soft-thresholding with torch.where."""

import torch


def penalized_step(w, b, X, y, lr, lam, penalty):
    if penalty not in {"none", "l1", "l2"}:
        raise ValueError(penalty)
    residual = X.mv(w) + b - y
    n = X.shape[0]
    data_step = lr * X.T.mv(residual) / n
    if penalty == "l2":
        w_new = (1 - lr * lam) * w - data_step
    else:
        w_new = w - data_step
    if penalty == "l1":
        t = lr * lam
        w_new = torch.where(w_new > t, w_new - t, torch.where(w_new < -t, w_new + t, torch.zeros_like(w_new)))
    return w_new, b - lr * residual.mean()
