"""Chapter 2 - jacobian.

Write jacobian(f, x): the (m, n) Jacobian of f at x, one backward pass per row.
Read the lesson with `tutor start`; `tutor hint chapter2/jacobian` when stuck.
Grade it with: tutor check chapter2/jacobian
"""

from typing import Callable

import torch


def jacobian(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """J[i, j] = d f(x)[i] / d x[j], shape (m, n); the caller's x and its graph are left alone."""
    raise NotImplementedError("jacobian: write me")
