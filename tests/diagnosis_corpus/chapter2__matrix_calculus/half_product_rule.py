# mistake: differentiates only the second x of x^T A x, giving A^T x (half of the product rule)
import torch


def grad_Ax(A: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return torch.einsum("ji->ij", A).clone()


def grad_quadratic(A: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return torch.einsum("ik,i->k", A, x)


def grad_least_squares(X: torch.Tensor, w: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return 2 * torch.einsum("nd,n->d", X, torch.einsum("nd,d->n", X, w) - y)
