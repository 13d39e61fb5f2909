import math

import torch


def dot_product_attention(queries, keys, values, mask=None):
    """One sequence at a time with 2-D matrices; forbidden scores pushed to the dtype's lowest
    value and their weights multiplied by 0 afterwards, so an empty row is 0 · (uniform) = 0."""
    squeeze = queries.dim() == 2
    if squeeze:
        queries, keys, values = queries[None], keys[None], values[None]
    B, Lq, d = queries.shape
    Lk = keys.shape[1]
    if mask is None:
        allowed = torch.ones(B, Lq, Lk, dtype=torch.bool)
    elif squeeze:
        allowed = torch.broadcast_to(mask, (Lq, Lk))[None]
    else:
        allowed = torch.broadcast_to(mask, (B, Lq, Lk))
    out = []
    for b in range(B):
        s = queries[b] @ keys[b].T / math.sqrt(d)
        s = torch.where(allowed[b], s, torch.full_like(s, torch.finfo(s.dtype).min))
        w = torch.softmax(s, dim=1) * allowed[b].to(s.dtype)
        out.append(w @ values[b])
    result = torch.stack(out)
    return result[0] if squeeze else result
