# mistake: loops over range(h - kh) and range(w - kw), so the last row and column of windows are missing
import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    h, w = X.shape
    kh, kw = K.shape
    rows = []
    for i in range(h - kh):
        row = []
        for j in range(w - kw):
            row.append((X[i:i + kh, j:j + kw] * K).sum())
        rows.append(torch.stack(row) if row else X.new_zeros(0))
    return torch.stack(rows) if rows else X.new_zeros(0, max(w - kw, 0))
