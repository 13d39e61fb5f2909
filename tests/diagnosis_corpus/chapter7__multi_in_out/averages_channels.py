# mistake: averages the per-channel results over the input channels instead of summing them
import torch


def corr2d(X, K):
    kh, kw = K.shape
    oh, ow = X.shape[0] - kh + 1, X.shape[1] - kw + 1
    Y = X.new_zeros(oh, ow)
    for a in range(kh):
        for b in range(kw):
            Y = Y + K[a, b] * X[a:a + oh, b:b + ow]
    return Y


def corr2d_multi_in(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch.stack([corr2d(X[c], K[c]) for c in range(X.shape[0])]).mean(dim=0)


def corr2d_multi_in_out(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch.stack([corr2d_multi_in(X, K[o]) for o in range(K.shape[0])])


def corr2d_multi_in_out_1x1(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    c_i, h, w = X.shape
    c_o = K.shape[0]
    Y = torch.matmul(K.view(c_o, c_i), X.reshape(c_i, h * w))
    return Y.reshape(c_o, h, w)
