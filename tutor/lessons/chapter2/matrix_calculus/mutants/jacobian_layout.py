# diagnosis: matrix_calculus.jacobian_layout
# Returns the Jacobian (rows follow the outputs) instead of its transpose.
import torch



def grad_Ax(A, x):
    return A.clone()


def grad_quadratic(A, x):
    return (A + A.T) @ x


def grad_least_squares(X, w, y):
    return 2 * X.T @ (X @ w - y)
