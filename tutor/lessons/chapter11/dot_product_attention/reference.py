import math

import torch


def dot_product_attention(queries: torch.Tensor, keys: torch.Tensor, values: torch.Tensor,
                          mask: torch.Tensor | None = None) -> torch.Tensor:
    d = queries.shape[-1]
    scores = queries @ keys.transpose(-2, -1) / math.sqrt(d)           # (..., Lq, Lk)
    if mask is None:
        return torch.softmax(scores, dim=-1) @ values
    scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)                            # NaN on a row with no allowed key
    weights = torch.where(mask.any(dim=-1, keepdim=True), weights, torch.zeros_like(weights))
    return weights @ values
