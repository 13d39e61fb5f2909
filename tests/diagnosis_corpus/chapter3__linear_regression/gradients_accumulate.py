# mistake: never clears w.grad and b.grad, so every step uses the sum of all gradients so far
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
            r = X[idx] @ w + b - y[idx]
            loss = (0.5 * r ** 2).mean()
            if on_loss is not None:
                on_loss(float(loss))
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
                b -= lr * b.grad
    return w.detach(), b.detach()
