# mistake: starts the channel sum from torch.zeros without a dtype, so float64 inputs come back as float32
import torch


def corr2d(X, K):
    kh, kw = K.shape
    oh, ow = X.shape[0] - kh + 1, X.shape[1] - kw + 1
    Y = X.new_zeros(oh, ow)
    for i in range(oh):
        for j in range(ow):
            Y[i, j] = (X[i:i + kh, j:j + kw] * K).sum()
    return Y


def corr2d_multi_in(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    kh, kw = K.shape[-2:]
    total = torch.zeros(X.shape[1] - kh + 1, X.shape[2] - kw + 1)
    for c in range(X.shape[0]):
        total += corr2d(X[c], K[c])
    return total


def corr2d_multi_in_out(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch.stack([corr2d_multi_in(X, k) for k in K])


def corr2d_multi_in_out_1x1(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    c_in, h, w = X.shape
    c_out = K.shape[0]
    out = torch.zeros(c_out, h * w)
    out += K.reshape(c_out, c_in) @ X.reshape(c_in, h * w)
    return out.reshape(c_out, h, w)
