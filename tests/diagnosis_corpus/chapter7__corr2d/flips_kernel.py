# mistake: flips the kernel first (true convolution), as in signal processing, instead of cross-correlating
import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    K = torch.flip(K, dims=(0, 1))
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
    return Y
