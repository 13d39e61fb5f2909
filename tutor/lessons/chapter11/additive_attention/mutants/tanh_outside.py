# diagnosis: additive.tanh_outside
import torch


def additive_attention(queries, keys, values, W_q, W_k, w_v, mask=None):
    pairs = (queries @ W_q).unsqueeze(-2) + (keys @ W_k).unsqueeze(-3)
    scores = torch.tanh(pairs @ w_v)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = torch.where(mask.any(dim=-1, keepdim=True), weights, torch.zeros_like(weights))
    return weights @ values
