from typing import Callable

import torch
from torch import nn


def accumulate_step(model: nn.Module, optimizer: torch.optim.Optimizer,
                    micro_batches: list[tuple[torch.Tensor, torch.Tensor]],
                    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> float:
    N = sum(len(x) for x, _ in micro_batches)
    optimizer.zero_grad()
    total = 0.0
    for x, t in micro_batches:
        # each micro-batch's mean loss, weighted by its share of the big batch
        loss = loss_fn(model(x), t) * (len(x) / N)
        loss.backward()  # frees this micro-batch's graph; the gradient stays in .grad
        total += loss.item()
    optimizer.step()
    optimizer.zero_grad()
    return total
