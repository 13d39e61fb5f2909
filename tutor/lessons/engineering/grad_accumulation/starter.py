from typing import Callable

import torch
from torch import nn


def accumulate_step(model: nn.Module, optimizer: torch.optim.Optimizer,
                    micro_batches: list[tuple[torch.Tensor, torch.Tensor]],
                    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> float:
    """One optimizer step on the big batch made of `micro_batches`, one micro-batch in memory at
    a time: backward on each, accumulating gradients, then a single optimizer.step(). The
    gradients are left cleared. Returns the big batch's loss (before the step) as a float."""
    raise NotImplementedError("accumulate_step: write me")
