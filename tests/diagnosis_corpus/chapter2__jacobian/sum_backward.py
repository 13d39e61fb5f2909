# mistake: calls y.sum().backward() for every row instead of weighting by a one-hot vector, so every row is the sum of all rows
from typing import Callable

import torch


def jacobian(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    J = []
    for i in range(f(x.detach()).shape[0]):
        xx = x.detach().clone().requires_grad_()
        out = f(xx)
        out.sum().backward()
        J.append(xx.grad.detach().clone())
    return torch.stack(J)
