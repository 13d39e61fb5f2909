# mistake: computes the gradients by hand dividing by batch_size every time, so the last smaller batch steps too short
from typing import Callable

import torch


def train_linear_regression(X: torch.Tensor, y: torch.Tensor, lr: float, batch_size: int, epochs: int,
                            generator: torch.Generator,
                            on_loss: Callable[[float], None] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    n, d = X.shape
    w = torch.zeros(d, dtype=X.dtype)
    b = torch.zeros(1, dtype=X.dtype)
    for epoch in range(epochs):
        perm = torch.randperm(n, generator=generator)
        for i in range(0, n, batch_size):
            idx = perm[i:i + batch_size]
            Xb, yb = X[idx], y[idx]
            r = Xb @ w + b - yb
            if on_loss:
                on_loss(float((r ** 2).sum() / 2 / batch_size))
            grad_w = Xb.T @ r / batch_size
            grad_b = r.sum() / batch_size
            w = w - lr * grad_w
            b = b - lr * grad_b
    return w, b
