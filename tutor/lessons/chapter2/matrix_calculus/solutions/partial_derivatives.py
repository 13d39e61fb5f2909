"""Correct: each partial derivative from its definition, with explicit loops over the inputs."""

import torch


def grad_Ax(A, x):
    m, n = A.shape
    G = torch.empty(n, m, dtype=A.dtype)
    for i in range(n):          # d(Ax)_j / dx_i = A[j, i]
        for j in range(m):
            G[i, j] = A[j, i]
    return G


def grad_quadratic(A, x):
    n = x.shape[0]
    g = torch.empty(n, dtype=A.dtype)
    for k in range(n):          # row k of A times x, plus column k of A times x
        g[k] = (A[k, :] * x).sum() + (x * A[:, k]).sum()
    return g


def grad_least_squares(X, w, y):
    r = X @ w - y
    return torch.stack([2 * (X[:, k] * r).sum() for k in range(X.shape[1])])
