from typing import Callable

import torch
from torch import nn


def data_parallel_step(replicas: list[nn.Module], X: torch.Tensor, y: torch.Tensor,
                       loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], lr: float) -> float:
    N = X.shape[0]
    total = None
    batch_loss = 0.0
    for model, X_k, y_k in zip(replicas, torch.tensor_split(X, len(replicas)), torch.tensor_split(y, len(replicas))):
        if len(X_k) == 0:
            continue  # more workers than samples: this one has nothing to say
        model.zero_grad(set_to_none=True)
        loss = loss_fn(model(X_k), y_k)
        loss.backward()
        weight = len(X_k) / N  # the shard's share of the whole-batch mean
        batch_loss += weight * loss.item()
        grads = [weight * p.grad for p in model.parameters()]
        total = grads if total is None else [a + b for a, b in zip(total, grads)]
    # the "all-reduce": every replica applies the same combined gradient
    with torch.no_grad():
        for model in replicas:
            for p, g in zip(model.parameters(), total):
                p -= lr * g
            model.zero_grad(set_to_none=True)
    return batch_loss
