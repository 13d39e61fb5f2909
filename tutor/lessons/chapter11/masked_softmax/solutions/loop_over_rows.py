import torch


def masked_softmax(X, valid_lens):
    """Row by row: softmax over the first n entries, zeros after them."""
    B, Lq, Lk = X.shape
    rows = []
    for b in range(B):
        for i in range(Lq):
            if valid_lens is None:
                n = Lk
            elif valid_lens.dim() == 1:
                n = int(valid_lens[b])
            else:
                n = int(valid_lens[b, i])
            n = min(n, Lk)
            row = X[b, i]
            if n == 0:
                rows.append(torch.zeros_like(row))
                continue
            kept = row[:n]
            e = torch.exp(kept - kept.max())
            rows.append(torch.cat([e / e.sum(), torch.zeros_like(row[n:])]))
    return torch.stack(rows).reshape(B, Lq, Lk)
