# diagnosis: any
# verdict: forbidden
import torch


def grad_Ax(A, x):
    return torch.autograd.functional.jacobian(lambda v: A @ v, x).T


def grad_quadratic(A, x):
    x = x.detach().requires_grad_(True)
    (x @ A @ x).backward()
    return x.grad


def grad_least_squares(X, w, y):
    return torch.func.grad(lambda v: ((X @ v - y) ** 2).sum())(w)
