# diagnosis: matrix_calculus.dropped_two
import torch


def grad_Ax(A, x):
    return A.T.clone()


def grad_quadratic(A, x):
    return (A + A.T) @ x


def grad_least_squares(X, w, y):
    return X.T @ (X @ w - y)
