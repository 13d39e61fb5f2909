# mistake: drops the factor 2 from the gradient of the squared norm in the least-squares gradient
import torch


def grad_Ax(A: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return A.T.clone()


def grad_quadratic(A: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return A @ x + A.T @ x


def grad_least_squares(X: torch.Tensor, w: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    residual = X @ w - y
    return X.T @ residual
