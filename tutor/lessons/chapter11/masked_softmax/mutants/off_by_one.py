# diagnosis: masked_softmax.off_by_one
import torch


def masked_softmax(X, valid_lens):
    if valid_lens is None:
        keep = torch.ones_like(X, dtype=torch.bool)
    else:
        lens = valid_lens if valid_lens.dim() == 2 else valid_lens[:, None]
        keep = (torch.arange(X.shape[-1]) <= lens[..., None]).expand(X.shape)
    scores = X.masked_fill(~keep, float("-inf"))
    top = scores.amax(dim=-1, keepdim=True)
    e = torch.exp(scores - torch.where(torch.isfinite(top), top, torch.zeros_like(top)))
    total = e.sum(dim=-1, keepdim=True)
    return e / torch.where(total > 0, total, torch.ones_like(total))
