# mistake: cuts the data into consecutive blocks first and only shuffles the order of the blocks
from typing import Iterator

import torch


def data_iter(X: torch.Tensor, y: torch.Tensor, batch_size: int,
              generator: torch.Generator) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    blocks = list(torch.arange(X.shape[0]).split(batch_size))
    for j in torch.randperm(len(blocks), generator=generator).tolist():
        idx = blocks[j]
        yield X[idx], y[idx]
