# mistake: reseeds the generator inside the function "for reproducibility", so every epoch has the same order
from typing import Iterator

import torch


def data_iter(X: torch.Tensor, y: torch.Tensor, batch_size: int,
              generator: torch.Generator) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    generator.manual_seed(42)
    order = torch.randperm(X.shape[0], generator=generator)
    for start in range(0, X.shape[0], batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]
