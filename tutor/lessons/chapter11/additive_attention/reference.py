import torch


def additive_attention(queries: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, W_q: torch.Tensor,
                       W_k: torch.Tensor, w_v: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    # Every query against every key: (B, Lq, 1, h) + (B, 1, Lk, h) -> (B, Lq, Lk, h).
    features = torch.tanh((queries @ W_q).unsqueeze(-2) + (keys @ W_k).unsqueeze(-3))
    scores = features @ w_v                                            # (B, Lq, Lk)
    if mask is None:
        return torch.softmax(scores, dim=-1) @ values
    weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
    weights = torch.where(mask.any(dim=-1, keepdim=True), weights, torch.zeros_like(weights))
    return weights @ values
