# mistake: stacks the per-channel cross-correlations instead of adding them, giving (C_in, oh, ow)
import torch


def corr2d(X, K):
    kh, kw = K.shape
    Y = torch.zeros((X.shape[0] - kh + 1, X.shape[1] - kw + 1), dtype=X.dtype)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i:i + kh, j:j + kw] * K).sum()
    return Y


def corr2d_multi_in(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch.stack([corr2d(x, k) for x, k in zip(X, K)])


def corr2d_multi_in_out(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch.stack([corr2d_multi_in(X, k) for k in K], 0)


def corr2d_multi_in_out_1x1(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    c_in, h, w = X.shape
    c_out = K.shape[0]
    return (K.reshape(c_out, c_in) @ X.reshape(c_in, h * w)).reshape(c_out, h, w)
