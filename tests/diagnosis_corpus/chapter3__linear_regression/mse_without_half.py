# mistake: uses the plain mean squared error (no 1/2), so the loss and every gradient step are twice too large
from typing import Callable

import torch


def train_linear_regression(X: torch.Tensor, y: torch.Tensor, lr: float, batch_size: int, epochs: int,
                            generator: torch.Generator,
                            on_loss: Callable[[float], None] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    w = torch.zeros(X.shape[1], dtype=X.dtype, requires_grad=True)
    b = torch.zeros(1, dtype=X.dtype, requires_grad=True)
    for _ in range(epochs):
        order = torch.randperm(X.shape[0], generator=generator)
        for batch in order.split(batch_size):
            pred = X[batch] @ w + b
            loss = torch.mean((pred - y[batch]) ** 2)
            if on_loss is not None:
                on_loss(float(loss))
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
                b -= lr * b.grad
                w.grad.zero_()
                b.grad.zero_()
    return w.detach(), b.detach()
