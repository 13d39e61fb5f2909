"""Correct: no autograd; the gradients written from the formulas, the residual computed once."""

import torch


def train_linear_regression(X, y, lr, batch_size, epochs, generator, on_loss=None):
    n, d = X.shape
    w = torch.zeros(d, dtype=X.dtype)
    b = torch.zeros((), dtype=X.dtype)
    for _ in range(epochs):
        perm = torch.randperm(n, generator=generator)
        for idx in perm.split(batch_size):
            Xb, yb = X[idx], y[idx]
            r = Xb @ w + b - yb
            if on_loss:
                on_loss((0.5 * r.pow(2)).mean().item())
            w = w - lr * (Xb.T @ r) / len(idx)
            b = b - lr * r.mean()
    return w, b
