# mistake: draws one permutation for X and another for y, so examples lose their labels
from typing import Iterator

import torch


def data_iter(X: torch.Tensor, y: torch.Tensor, batch_size: int,
              generator: torch.Generator) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    n = X.shape[0]
    X_shuffled = X[torch.randperm(n, generator=generator)]
    y_shuffled = y[torch.randperm(n, generator=generator)]
    for start in range(0, n, batch_size):
        yield X_shuffled[start:start + batch_size], y_shuffled[start:start + batch_size]
