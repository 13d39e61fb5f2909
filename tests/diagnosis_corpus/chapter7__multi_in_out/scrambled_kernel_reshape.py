# mistake: reshapes the 1x1 kernel to (C_in, C_out) and transposes it, which scrambles the weights whenever C_in != C_out
import torch


def corr2d(X, K):
    kh, kw = K.shape
    oh, ow = X.shape[0] - kh + 1, X.shape[1] - kw + 1
    Y = torch.zeros(oh, ow, dtype=X.dtype)
    for i in range(oh):
        for j in range(ow):
            Y[i, j] = torch.sum(X[i:i + kh, j:j + kw] * K)
    return Y


def corr2d_multi_in(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return sum(corr2d(X[c], K[c]) for c in range(X.shape[0]))


def corr2d_multi_in_out(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch.stack([corr2d_multi_in(X, K[o]) for o in range(K.shape[0])], dim=0)


def corr2d_multi_in_out_1x1(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    c_in, h, w = X.shape
    c_out = K.shape[0]
    W = K.reshape(c_in, c_out).T
    return (W @ X.reshape(c_in, h * w)).reshape(c_out, h, w)
