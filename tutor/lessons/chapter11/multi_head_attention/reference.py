import math

import torch


def split_heads(X: torch.Tensor, num_heads: int) -> torch.Tensor:
    B, L, H = X.shape
    X = X.reshape(B, L, num_heads, H // num_heads)   # cut each position's features into heads
    X = X.permute(0, 2, 1, 3)                          # (B, heads, L, H/heads): heads before positions
    return X.reshape(B * num_heads, L, H // num_heads)


def merge_heads(X: torch.Tensor, num_heads: int) -> torch.Tensor:
    BH, L, d = X.shape
    X = X.reshape(BH // num_heads, num_heads, L, d)
    X = X.permute(0, 2, 1, 3)                          # (B, L, heads, d): positions before heads
    return X.reshape(BH // num_heads, L, num_heads * d)


def multi_head_attention(queries: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, W_q: torch.Tensor,
                         W_k: torch.Tensor, W_v: torch.Tensor, W_o: torch.Tensor, num_heads: int,
                         mask: torch.Tensor | None = None) -> torch.Tensor:
    q = split_heads(queries @ W_q, num_heads)         # (B·heads, Lq, d)
    k = split_heads(keys @ W_k, num_heads)            # (B·heads, Lk, d)
    v = split_heads(values @ W_v, num_heads)          # (B·heads, Lk, d)
    scores = q @ k.transpose(1, 2) / math.sqrt(q.shape[-1])
    if mask is None:
        weights = torch.softmax(scores, dim=-1)
    else:
        B, Lq, Lk = queries.shape[0], queries.shape[1], keys.shape[1]
        # Row b·heads + i of the folded batch is head i of sequence b: every head of b gets b's mask.
        mask = torch.broadcast_to(mask, (B, Lq, Lk)).repeat_interleave(num_heads, dim=0)
        weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
        weights = torch.where(mask.any(dim=-1, keepdim=True), weights, torch.zeros_like(weights))
    return merge_heads(weights @ v, num_heads) @ W_o
