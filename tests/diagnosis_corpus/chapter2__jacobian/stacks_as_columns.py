# mistake: stacks the gradients as columns, returning the (n, m) gradient layout instead of the (m, n) Jacobian
from typing import Callable

import torch


def jacobian(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    leaf = x.detach().requires_grad_(True)
    y = f(leaf)
    cols = []
    for i in range(len(y)):
        leaf.grad = None
        e = torch.zeros_like(y)
        e[i] = 1
        y.backward(e, retain_graph=True)
        cols.append(leaf.grad.clone())
    return torch.stack(cols, dim=1)
