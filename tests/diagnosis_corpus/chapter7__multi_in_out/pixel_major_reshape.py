# mistake: reshapes the channel-first X to (h*w, C_in) for the 1x1 case, which mixes pixels and channels
import torch


def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
    return Y


def corr2d_multi_in(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return sum(corr2d(x, k) for x, k in zip(X, K))


def corr2d_multi_in_out(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch.stack([corr2d_multi_in(X, k) for k in K], 0)


def corr2d_multi_in_out_1x1(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    c_in, h, w = X.shape
    c_out = K.shape[0]
    pixels = X.reshape(h * w, c_in)            # one row per pixel
    out = pixels @ K.reshape(c_out, c_in).T    # (h*w, c_out)
    return out.reshape(c_out, h, w)
