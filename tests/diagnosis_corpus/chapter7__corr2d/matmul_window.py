# mistake: multiplies each window by the kernel with a matrix product (window @ K.T, transposed to make the shapes fit) instead of elementwise
import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    kh, kw = K.shape
    oh, ow = X.shape[0] - kh + 1, X.shape[1] - kw + 1
    Y = torch.zeros(oh, ow, dtype=X.dtype)
    for i in range(oh):
        for j in range(ow):
            Y[i, j] = (X[i:i + kh, j:j + kw] @ K.T).sum()
    return Y
