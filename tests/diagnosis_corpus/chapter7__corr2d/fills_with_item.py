# mistake: fills the output with .item() values, which cuts the autograd graph so nothing can be learned
import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    kh, kw = K.shape
    oh, ow = X.shape[0] - kh + 1, X.shape[1] - kw + 1
    Y = torch.zeros(oh, ow, dtype=X.dtype)
    for i in range(oh):
        for j in range(ow):
            Y[i, j] = torch.sum(X[i:i + kh, j:j + kw] * K).item()
    return Y
