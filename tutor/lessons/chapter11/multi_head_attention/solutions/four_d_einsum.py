import torch


def split_heads(X, num_heads):
    B, L, H = X.shape
    return X.view(B, L, num_heads, H // num_heads).transpose(1, 2).contiguous().view(B * num_heads, L, -1)


def merge_heads(X, num_heads):
    BH, L, d = X.shape
    return X.view(BH // num_heads, num_heads, L, d).transpose(1, 2).reshape(BH // num_heads, L, num_heads * d)


def multi_head_attention(queries, keys, values, W_q, W_k, W_v, W_o, num_heads, mask=None):
    """Keep the heads as their own axis, (B, heads, L, d), and let the mask broadcast over it."""
    def heads(x):
        return x.unflatten(-1, (num_heads, -1)).transpose(1, 2)

    q, k, v = heads(queries @ W_q), heads(keys @ W_k), heads(values @ W_v)
    scores = torch.einsum("bhqd,bhkd->bhqk", q, k) / q.shape[-1] ** 0.5
    if mask is not None:
        allowed = mask if mask.dim() < 3 else mask[:, None]          # (B, 1, Lq or 1, Lk)
        allowed = torch.broadcast_to(allowed, scores.shape)
        scores = torch.where(allowed, scores, torch.full_like(scores, torch.finfo(scores.dtype).min))
        weights = torch.softmax(scores, dim=-1) * allowed.to(scores.dtype)
    else:
        weights = torch.softmax(scores, dim=-1)
    out = torch.einsum("bhqk,bhkd->bqhd", weights, v).flatten(2)
    return out @ W_o
