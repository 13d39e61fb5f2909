import torch


def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros(X.shape[0] - h + 1, X.shape[1] - w + 1, dtype=X.dtype)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
    return Y


def corr2d_multi_in(X, K):
    total = corr2d(X[0], K[0])
    for c in range(1, X.shape[0]):
        total = total + corr2d(X[c], K[c])
    return total


def corr2d_multi_in_out(X, K):
    return torch.stack([corr2d_multi_in(X, K[o]) for o in range(K.shape[0])])


def corr2d_multi_in_out_1x1(X, K):
    c_i, h, w = X.shape
    X2 = X.reshape(c_i, h * w)
    K2 = K.reshape(K.shape[0], c_i)
    return torch.matmul(K2, X2).reshape(K.shape[0], h, w)
