# diagnosis: multi_in_out.channels_averaged
import torch


def corr2d(X, K):
    windows = X.unfold(0, K.shape[0], 1).unfold(1, K.shape[1], 1)
    return torch.einsum("ijab,ab->ij", windows, K)


def corr2d_multi_in(X, K):
    return torch.stack([corr2d(x, k) for x, k in zip(X, K)]).mean(dim=0)


def corr2d_multi_in_out(X, K):
    return torch.stack([corr2d_multi_in(X, k) for k in K])


def corr2d_multi_in_out_1x1(X, K):
    c, h, w = X.shape
    return (K.reshape(K.shape[0], c) @ X.reshape(c, h * w)).reshape(-1, h, w) / c
