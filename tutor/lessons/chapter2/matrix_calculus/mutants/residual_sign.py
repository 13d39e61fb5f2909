# diagnosis: matrix_calculus.residual_sign
import torch


def grad_Ax(A, x):
    return A.T.clone()


def grad_quadratic(A, x):
    return (A + A.T) @ x


def grad_least_squares(X, w, y):
    return 2 * X.T @ (y - X @ w)
