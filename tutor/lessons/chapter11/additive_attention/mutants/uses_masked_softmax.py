# verdict: forbidden
import torch


def additive_attention(queries, keys, values, W_q, W_k, w_v, mask=None):
    scores = torch.tanh((queries @ W_q).unsqueeze(-2) + (keys @ W_k).unsqueeze(-3)) @ w_v
    allowed = torch.ones_like(scores, dtype=torch.bool) if mask is None else mask.expand_as(scores)
    return torch.masked.softmax(scores, -1, mask=allowed).nan_to_num(0.0) @ values
