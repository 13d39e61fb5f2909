# mistake: switches on requires_grad on the caller's own x and backpropagates through it, changing the caller's tensor and graph
from typing import Callable

import torch


def jacobian(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    if not x.requires_grad:
        x.requires_grad_(True)
    x.retain_grad()
    y = f(x)
    rows = []
    for i in range(y.shape[0]):
        x.grad = None
        v = torch.zeros_like(y)
        v[i] = 1
        y.backward(v, retain_graph=True)
        rows.append(x.grad.clone())
    return torch.stack(rows).detach()
