# mistake: sums the half squared errors over the batch instead of averaging them, so steps grow with the batch size
from typing import Callable

import torch


def train_linear_regression(X: torch.Tensor, y: torch.Tensor, lr: float, batch_size: int, epochs: int,
                            generator: torch.Generator,
                            on_loss: Callable[[float], None] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    n, d = X.shape
    w = torch.zeros(d, dtype=X.dtype, requires_grad=True)
    b = torch.zeros((), dtype=X.dtype, requires_grad=True)
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            loss = (0.5 * (X[idx] @ w + b - y[idx]) ** 2).sum()
            if on_loss is not None:
                on_loss(loss.item())
            w.grad = None
            b.grad = None
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
                b -= lr * b.grad
    return w.detach(), b.detach()
