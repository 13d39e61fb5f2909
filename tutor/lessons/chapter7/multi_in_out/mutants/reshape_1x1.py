# diagnosis: multi_in_out.reshape_1x1
import torch


def corr2d(X, K):
    windows = X.unfold(0, K.shape[0], 1).unfold(1, K.shape[1], 1)
    return torch.einsum("ijab,ab->ij", windows, K)


def corr2d_multi_in(X, K):
    return sum(corr2d(x, k) for x, k in zip(X, K))


def corr2d_multi_in_out(X, K):
    return torch.stack([corr2d_multi_in(X, k) for k in K])


def corr2d_multi_in_out_1x1(X, K):
    c, h, w = X.shape
    Y = X.reshape(h * w, c) @ K.reshape(K.shape[0], c).T  # (h*w, C_out), but the pixels are scrambled
    return Y.reshape(K.shape[0], h, w)
