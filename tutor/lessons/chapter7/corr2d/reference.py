import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    kh, kw = K.shape
    oh, ow = X.shape[0] - kh + 1, X.shape[1] - kw + 1
    Y = torch.zeros(oh, ow, dtype=torch.result_type(X, K))
    for a in range(kh):
        for b in range(kw):
            Y = Y + K[a, b] * X[a:a + oh, b:b + ow]
    return Y
