"""Correct: Tensor methods (mT, mv) and the chain rule written as two steps."""


def grad_Ax(A, x):
    return A.mT.contiguous()


def grad_quadratic(A, x):
    return A.mv(x) + A.mT.mv(x)


def grad_least_squares(X, w, y):
    residual = X.mv(w) - y
    grad_residual = 2 * residual          # gradient of ||r||^2 with respect to r
    return X.mT.mv(grad_residual)         # chain rule: grad_w r (= X^T) times it
