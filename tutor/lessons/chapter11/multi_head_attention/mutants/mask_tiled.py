# diagnosis: mha.mask_head_order
import math

import torch


def split_heads(X, num_heads):
    B, L, H = X.shape
    return X.reshape(B, L, num_heads, H // num_heads).permute(0, 2, 1, 3).reshape(B * num_heads, L, H // num_heads)


def merge_heads(X, num_heads):
    BH, L, d = X.shape
    return X.reshape(BH // num_heads, num_heads, L, d).permute(0, 2, 1, 3).reshape(BH // num_heads, L, num_heads * d)


def multi_head_attention(queries, keys, values, W_q, W_k, W_v, W_o, num_heads, mask=None):
    q = split_heads(queries @ W_q, num_heads)
    k = split_heads(keys @ W_k, num_heads)
    v = split_heads(values @ W_v, num_heads)
    scores = q @ k.transpose(1, 2) / math.sqrt(q.shape[-1])
    if mask is None:
        weights = torch.softmax(scores, dim=-1)
    else:
        B, Lq, Lk = queries.shape[0], queries.shape[1], keys.shape[1]
        mask = torch.broadcast_to(mask, (B, Lq, Lk)).repeat(num_heads, 1, 1)
        weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
        weights = torch.where(mask.any(dim=-1, keepdim=True), weights, torch.zeros_like(weights))
    return merge_heads(weights @ v, num_heads) @ W_o
