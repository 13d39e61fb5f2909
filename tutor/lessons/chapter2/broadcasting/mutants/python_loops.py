# verdict: timeout
# One Python iteration per pair of points: right, but far too slow for 600 × 500 points.
import torch

def broadcast_shape(a, b):
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x != y and 1 not in (x, y):
            raise ValueError("no")
        out.append(y if x == 1 else x)
    return tuple(out)


def pairwise_distances(X, Y):
    D = torch.empty(X.shape[0], Y.shape[0], dtype=X.dtype)
    for i in range(X.shape[0]):
        for j in range(Y.shape[0]):
            D[i, j] = torch.sqrt(((X[i] - Y[j]) ** 2).sum())
    return D
