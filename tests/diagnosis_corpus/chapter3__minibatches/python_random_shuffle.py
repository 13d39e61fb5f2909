# mistake: shuffles with Python's random.shuffle as in the book, ignoring the generator it was given
import random
from typing import Iterator

import torch


def data_iter(X: torch.Tensor, y: torch.Tensor, batch_size: int,
              generator: torch.Generator) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    num_examples = len(X)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i:min(i + batch_size, num_examples)])
        yield X[batch_indices], y[batch_indices]
