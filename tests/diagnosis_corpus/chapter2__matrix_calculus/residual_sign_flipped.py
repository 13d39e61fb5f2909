# mistake: writes the residual as y - Xw, so the least-squares gradient has the wrong sign
import torch


def grad_Ax(A: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return A.T.clone()


def grad_quadratic(A: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return (A + A.T) @ x


def grad_least_squares(X: torch.Tensor, w: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r = y - X @ w
    return 2 * X.T @ r
