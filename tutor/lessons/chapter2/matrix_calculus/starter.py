"""Chapter 2 - matrix_calculus.

Write three gradients by hand: grad_Ax (A transposed), grad_quadratic ((A + A^T) x) and
grad_least_squares (2 X^T (Xw - y)), without autograd.
Read the lesson with `tutor start`; `tutor hint chapter2/matrix_calculus` when stuck.
Grade it with: tutor check chapter2/matrix_calculus
"""

import torch


def grad_Ax(A: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """A (m, n), x (n,) -> the gradient of Ax with respect to x, shape (n, m)."""
    raise NotImplementedError("grad_Ax: write me")


def grad_quadratic(A: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """A (n, n), x (n,) -> the gradient of x^T A x with respect to x, shape (n,)."""
    raise NotImplementedError("grad_quadratic: write me")


def grad_least_squares(X: torch.Tensor, w: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """X (N, d), w (d,), y (N,) -> the gradient of ||Xw - y||^2 with respect to w, shape (d,)."""
    raise NotImplementedError("grad_least_squares: write me")
