# mistake: yields only n // batch_size full batches, so the leftover examples are never seen
from typing import Iterator

import torch


def data_iter(X: torch.Tensor, y: torch.Tensor, batch_size: int,
              generator: torch.Generator) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    n = len(X)
    perm = torch.randperm(n, generator=generator)
    for k in range(n // batch_size):
        idx = perm[k * batch_size:(k + 1) * batch_size]
        yield X[idx], y[idx]
