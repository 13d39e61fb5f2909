# diagnosis: any
# verdict: forbidden
# The closed form through the dispatcher's namespace: the normal equations solved directly.
import torch


def train_linear_regression(X, y, lr, batch_size, epochs, generator, on_loss=None):
    A = torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype)], dim=1)
    solution = torch.ops.aten.linalg_solve(A.T @ A, A.T @ y)
    return solution[:-1], solution[-1]
