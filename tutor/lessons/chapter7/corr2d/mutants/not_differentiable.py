# diagnosis: corr2d.not_differentiable
import torch


def corr2d(X, K):
    h, w = K.shape
    rows = []
    for i in range(X.shape[0] - h + 1):
        rows.append([float((X[i:i + h, j:j + w] * K).sum().detach()) for j in range(X.shape[1] - w + 1)])
    return torch.tensor(rows, dtype=X.dtype)
