# diagnosis: masked_softmax.masks_queries
import torch


def masked_softmax(X, valid_lens):
    B, Lq, Lk = X.shape
    e = torch.exp(X - X.amax(dim=-1, keepdim=True))
    out = e / e.sum(dim=-1, keepdim=True)
    if valid_lens is None:
        return out
    lens = valid_lens if valid_lens.dim() == 2 else valid_lens[:, None]
    # rows (queries) at position i >= n are zeroed; keys are never masked
    rows = torch.arange(Lq)[None, :] < lens.amax(dim=-1, keepdim=True) if valid_lens.dim() == 2 else \
        torch.arange(Lq)[None, :] < lens
    return out * rows[..., None].to(X.dtype)
