# diagnosis: masked_softmax.zero_fill
import torch


def masked_softmax(X, valid_lens):
    if valid_lens is None:
        keep = torch.ones_like(X, dtype=torch.bool)
    else:
        lens = valid_lens if valid_lens.dim() == 2 else valid_lens[:, None]
        keep = (torch.arange(X.shape[-1]) < lens[..., None]).expand(X.shape)
    scores = X * keep  # masked scores become 0, and exp(0) = 1
    e = torch.exp(scores - scores.amax(dim=-1, keepdim=True))
    return e / e.sum(dim=-1, keepdim=True)
