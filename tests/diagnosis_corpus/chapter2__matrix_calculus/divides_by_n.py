# mistake: divides the least-squares gradient by N, as if the loss were the mean squared error
import torch


def grad_Ax(A: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return A.T.clone()


def grad_quadratic(A: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return (A + A.T) @ x


def grad_least_squares(X: torch.Tensor, w: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    N = X.shape[0]
    return 2 * X.T @ (X @ w - y) / N
