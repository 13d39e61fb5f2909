"""Chapter 3 - linear_regression.

Write train_linear_regression(...): minibatch SGD on the mean of half squared errors, from w = 0
and b = 0, calling on_loss(loss) once per step.
Read the lesson with `tutor start`; `tutor hint chapter3/linear_regression` when stuck.
Grade it with: tutor check chapter3/linear_regression
"""

from typing import Callable

import torch


def train_linear_regression(X: torch.Tensor, y: torch.Tensor, lr: float, batch_size: int, epochs: int,
                            generator: torch.Generator,
                            on_loss: Callable[[float], None] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (w, b) after `epochs` epochs of shuffled minibatch SGD; w (d,), b with one element."""
    raise NotImplementedError("train_linear_regression: write me")
