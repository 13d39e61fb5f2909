"""Correct: every formula spelled out with einsum indices."""

import torch


def grad_Ax(A, x):
    return torch.einsum("ij->ji", A).contiguous()


def grad_quadratic(A, x):
    return torch.einsum("kj,j->k", A, x) + torch.einsum("i,ik->k", x, A)


def grad_least_squares(X, w, y):
    r = torch.einsum("nd,d->n", X, w) - y
    return 2 * torch.einsum("nd,n->d", X, r)
