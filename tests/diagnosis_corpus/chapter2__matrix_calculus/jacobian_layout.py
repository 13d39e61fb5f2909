# mistake: returns A itself for the gradient of Ax (the Jacobian layout, outputs along the rows)
import torch


def grad_Ax(A: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return A.clone()


def grad_quadratic(A: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return (A + A.T) @ x


def grad_least_squares(X: torch.Tensor, w: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return 2 * X.T @ (X @ w - y)
