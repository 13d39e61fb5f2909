# diagnosis: masked_softmax.lengths_tiled
import torch


def masked_softmax(X, valid_lens):
    B, Lq, Lk = X.shape
    if valid_lens is None:
        lens = torch.full((B * Lq,), Lk)
    elif valid_lens.dim() == 1:
        lens = valid_lens.repeat(Lq)  # [2, 3] -> [2, 3, 2, 3]: rows get other elements' lengths
    else:
        lens = valid_lens.reshape(-1)
    rows = X.reshape(-1, Lk)
    keep = torch.arange(Lk)[None, :] < lens[:, None]
    scores = rows.masked_fill(~keep, float("-inf"))
    top = scores.amax(dim=-1, keepdim=True)
    e = torch.exp(scores - torch.where(torch.isfinite(top), top, torch.zeros_like(top)))
    total = e.sum(dim=-1, keepdim=True)
    return (e / torch.where(total > 0, total, torch.ones_like(total))).reshape(B, Lq, Lk)
