import torch


def corr2d(X, K):
    kh, kw = K.shape
    oh, ow = X.shape[0] - kh + 1, X.shape[1] - kw + 1
    Y = torch.zeros(oh, ow, dtype=X.dtype)
    for a in range(kh):
        for b in range(kw):
            Y = Y + K[a, b] * X[a:a + oh, b:b + ow]
    return Y


def corr2d_multi_in(X, K):
    return sum(corr2d(x, k) for x, k in zip(X, K))


def corr2d_multi_in_out(X, K):
    return torch.stack([corr2d_multi_in(X, k) for k in K], dim=0)


def corr2d_multi_in_out_1x1(X, K):
    c_in, h, w = X.shape
    c_out = K.shape[0]
    Y = K.reshape(c_out, c_in) @ X.reshape(c_in, h * w)
    return Y.reshape(c_out, h, w)
