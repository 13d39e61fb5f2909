# mistake: draws the indices with torch.randint (with replacement), so some examples repeat and others are missed
from typing import Iterator

import torch


def data_iter(X: torch.Tensor, y: torch.Tensor, batch_size: int,
              generator: torch.Generator) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    n = X.shape[0]
    indices = torch.randint(0, n, (n,), generator=generator)
    for i in range(0, n, batch_size):
        batch = indices[i:i + batch_size]
        yield X[batch], y[batch]
