# mistake: creates b but only ever updates w, so the fitted line is forced through the origin
from typing import Callable

import torch


def train_linear_regression(X: torch.Tensor, y: torch.Tensor, lr: float, batch_size: int, epochs: int,
                            generator: torch.Generator,
                            on_loss: Callable[[float], None] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    n, d = X.shape
    w = torch.zeros(d, dtype=X.dtype)
    b = torch.zeros(1, dtype=X.dtype)
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            Xb = X[idx]
            r = Xb @ w + b - y[idx]
            if on_loss is not None:
                on_loss(float(0.5 * (r ** 2).mean()))
            w = w - lr * (Xb.T @ r) / len(idx)
    return w, b
