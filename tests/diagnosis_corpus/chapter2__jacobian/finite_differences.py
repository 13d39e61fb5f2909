# mistake: approximates the Jacobian with forward finite differences instead of backward passes, which is inexact and sees through detach
from typing import Callable

import torch


def jacobian(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    eps = 1e-4
    with torch.no_grad():
        x0 = x.detach().clone()
        y0 = f(x0)
        cols = []
        for j in range(x0.shape[0]):
            xp = x0.clone()
            xp[j] += eps
            cols.append((f(xp) - y0) / eps)
        return torch.stack(cols, dim=1)
