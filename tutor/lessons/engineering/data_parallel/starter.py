from typing import Callable

import torch
from torch import nn


def data_parallel_step(replicas: list[nn.Module], X: torch.Tensor, y: torch.Tensor,
                       loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], lr: float) -> float:
    """One SGD step of data-parallel training over W = len(replicas) simulated workers.

    Split the batch (X, y) into W contiguous shards whose sizes differ by at most one, let
    replica k compute the gradient of loss_fn on shard k, combine the gradients so that they
    equal the whole batch's, and apply p -= lr * g to every replica. Returns the whole batch's
    loss before the step, as a float."""
    raise NotImplementedError("data_parallel_step: write me")
