import torch


def additive_attention(queries, keys, values, W_q, W_k, w_v, mask=None):
    """einsum throughout; masked weights multiplied by 0 after a shift by the lowest finite value."""
    q = torch.einsum("bqd,dh->bqh", queries, W_q)
    k = torch.einsum("bkd,dh->bkh", keys, W_k)
    scores = torch.einsum("bqkh,h->bqk", torch.tanh(q[:, :, None, :] + k[:, None, :, :]), w_v)
    if mask is None:
        weights = torch.softmax(scores, dim=-1)
    else:
        allowed = mask.expand_as(scores)
        scores = torch.where(allowed, scores, torch.full_like(scores, torch.finfo(scores.dtype).min))
        weights = torch.softmax(scores, dim=-1) * allowed.to(scores.dtype)
    return torch.einsum("bqk,bkv->bqv", weights, values)
