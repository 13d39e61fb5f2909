# mistake: never clears the leaf's .grad between backward passes, so each row is the running sum of the rows so far
from typing import Callable

import torch


def jacobian(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    leaf = x.detach().requires_grad_(True)
    y = f(leaf)
    rows = []
    for i in range(y.shape[0]):
        v = torch.zeros_like(y)
        v[i] = 1.0
        y.backward(v, retain_graph=True)
        rows.append(leaf.grad.clone())
    return torch.stack(rows)
