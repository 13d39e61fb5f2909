# diagnosis: masked_softmax.fully_masked_nan
import torch


def masked_softmax(X, valid_lens):
    if valid_lens is None:
        keep = torch.ones_like(X, dtype=torch.bool)
    else:
        lens = valid_lens if valid_lens.dim() == 2 else valid_lens[:, None]
        keep = (torch.arange(X.shape[-1]) < lens[..., None]).expand(X.shape)
    scores = X.masked_fill(~keep, float("-inf"))
    e = torch.exp(scores - scores.amax(dim=-1, keepdim=True))  # -inf - (-inf) = NaN on an empty row
    return e / e.sum(dim=-1, keepdim=True)
