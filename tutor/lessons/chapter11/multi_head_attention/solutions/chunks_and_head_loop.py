import math

import torch


def split_heads(X, num_heads):
    """Cut the features into num_heads chunks, stack the chunks as a heads axis, fold it into the batch."""
    return torch.stack(X.chunk(num_heads, dim=-1), dim=1).flatten(0, 1)


def merge_heads(X, num_heads):
    """Unfold the batch into (B, heads), then concatenate the heads along the features."""
    return torch.cat(X.unflatten(0, (-1, num_heads)).unbind(1), dim=-1)


def multi_head_attention(queries, keys, values, W_q, W_k, W_v, W_o, num_heads, mask=None):
    """No folding at all: a loop over the heads, each attending with its own slice of the features."""
    q, k, v = queries @ W_q, keys @ W_k, values @ W_v
    d = q.shape[-1] // num_heads
    B, Lq, Lk = q.shape[0], q.shape[1], k.shape[1]
    allowed = None if mask is None else torch.broadcast_to(mask, (B, Lq, Lk))
    heads = []
    for i in range(num_heads):
        part = slice(i * d, (i + 1) * d)
        scores = q[..., part] @ k[..., part].transpose(1, 2) / math.sqrt(d)
        if allowed is not None:
            scores = scores.masked_fill(~allowed, float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        if allowed is not None:
            weights = weights.nan_to_num(0.0)  # rows with no allowed key: 0/0 -> 0
        heads.append(weights @ v[..., part])
    return torch.cat(heads, dim=-1) @ W_o
