# mistake: keeps w as a (d, 1) column like the book's normal(0, 0.01, (d, 1)), so X_B w - y broadcasts to a |B| x |B| matrix
from typing import Callable

import torch


def train_linear_regression(X: torch.Tensor, y: torch.Tensor, lr: float, batch_size: int, epochs: int,
                            generator: torch.Generator,
                            on_loss: Callable[[float], None] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    n, d = X.shape
    w = torch.zeros((d, 1), dtype=X.dtype, requires_grad=True)
    b = torch.zeros(1, dtype=X.dtype, requires_grad=True)
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            y_hat = torch.matmul(X[idx], w) + b
            loss = ((y_hat - y[idx]) ** 2 / 2).mean()
            if on_loss is not None:
                on_loss(loss.item())
            w.grad = None
            b.grad = None
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
                b -= lr * b.grad
    return w.detach().reshape(-1), b.detach()
