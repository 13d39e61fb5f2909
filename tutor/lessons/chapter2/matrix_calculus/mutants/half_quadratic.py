# diagnosis: matrix_calculus.half_quadratic
import torch


def grad_Ax(A, x):
    return A.T.clone()


def grad_quadratic(A, x):
    return A @ x


def grad_least_squares(X, w, y):
    return 2 * X.T @ (X @ w - y)
