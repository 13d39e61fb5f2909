# verdict: forbidden
import torch


def masked_softmax(X, valid_lens):
    if valid_lens is None:
        keep = torch.ones_like(X, dtype=torch.bool)
    else:
        lens = valid_lens if valid_lens.dim() == 2 else valid_lens[:, None]
        keep = (torch.arange(X.shape[-1]) < lens[..., None]).expand(X.shape)
    return torch.masked.softmax(X, -1, mask=keep).nan_to_num(0.0)
