# mistake: uses 2Ax for the gradient of x^T A x, which is only right for a symmetric A
import torch


def grad_Ax(A: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return A.transpose(0, 1).contiguous()


def grad_quadratic(A: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return 2 * torch.mv(A, x)


def grad_least_squares(X: torch.Tensor, w: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r = torch.mv(X, w) - y
    return 2 * torch.mv(X.T, r)
