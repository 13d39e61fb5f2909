import torch


def dot_product_attention(queries, keys, values, mask=None):
    """einsum for both products and a softmax written out, with a 0/1 mask multiplied in."""
    d = queries.shape[-1]
    scores = torch.einsum("...qd,...kd->...qk", queries, keys) * d ** -0.5
    if mask is None:
        allowed = torch.ones_like(scores, dtype=torch.bool)
    else:
        allowed = mask.expand(scores.shape)
    lowest = torch.full_like(scores, float("-inf"))
    top = torch.where(allowed, scores, lowest).amax(dim=-1, keepdim=True)
    top = torch.where(torch.isfinite(top), top, torch.zeros_like(top))
    e = torch.exp(torch.where(allowed, scores - top, lowest))
    total = e.sum(dim=-1, keepdim=True)
    weights = e / torch.where(total > 0, total, torch.ones_like(total))
    return torch.einsum("...qk,...kv->...qv", weights, values)
