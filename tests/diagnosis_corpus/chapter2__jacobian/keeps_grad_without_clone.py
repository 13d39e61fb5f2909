# mistake: appends leaf.grad itself (no clone) and zeroes it in place before each pass, so every stored row is the same tensor
from typing import Callable

import torch


def jacobian(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    leaf = x.detach().requires_grad_(True)
    y = f(leaf)
    m = y.numel()
    rows = []
    for i in range(m):
        if leaf.grad is not None:
            leaf.grad.zero_()
        onehot = torch.zeros(m, dtype=y.dtype)
        onehot[i] = 1
        y.backward(onehot, retain_graph=True)
        rows.append(leaf.grad)
    return torch.stack(rows)
