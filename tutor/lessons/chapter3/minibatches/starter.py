"""Chapter 3 - minibatches.

Write data_iter(X, y, batch_size, generator): one epoch of shuffled minibatches (X[idx], y[idx]).
Read the lesson with `tutor start`; `tutor hint chapter3/minibatches` when stuck.
Grade it with: tutor check chapter3/minibatches
"""

from typing import Iterator

import torch


def data_iter(X: torch.Tensor, y: torch.Tensor, batch_size: int,
              generator: torch.Generator) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Yield (X[idx], y[idx]) for consecutive pieces idx of one random permutation drawn from generator."""
    raise NotImplementedError("data_iter: write me")
