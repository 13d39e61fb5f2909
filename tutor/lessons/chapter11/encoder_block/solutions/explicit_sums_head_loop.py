import torch


def layer_norm(X, gamma, beta, eps=1e-5):
    """Mean and variance written as sums over the last axis."""
    d = X.shape[-1]
    mean = X.sum(dim=-1, keepdim=True) / d
    centred = X - mean
    var = (centred * centred).sum(dim=-1, keepdim=True) / d
    return gamma * centred / (var + eps) ** 0.5 + beta


def encoder_block(X, params, num_heads, mask=None, norm_first=False):
    """Heads in a Python loop; each sub-layer spelled out for both orders."""
    p = params
    B, L, H = X.shape
    d = H // num_heads
    allowed = None if mask is None else torch.broadcast_to(mask, (B, L, L))

    def attention(Z):
        q, k, v = Z @ p["W_q"], Z @ p["W_k"], Z @ p["W_v"]
        heads = []
        for i in range(num_heads):
            cols = slice(i * d, (i + 1) * d)
            s = torch.einsum("bqd,bkd->bqk", q[..., cols], k[..., cols]) / d ** 0.5
            if allowed is not None:
                s = torch.where(allowed, s, torch.full_like(s, torch.finfo(s.dtype).min))
                w = torch.softmax(s, dim=-1) * allowed.to(s.dtype)
            else:
                w = torch.softmax(s, dim=-1)
            heads.append(torch.einsum("bqk,bkd->bqd", w, v[..., cols]))
        return torch.cat(heads, dim=-1) @ p["W_o"]

    def ffn(Z):
        hidden = Z @ p["W_1"] + p["b_1"]
        return torch.where(hidden > 0, hidden, torch.zeros_like(hidden)) @ p["W_2"] + p["b_2"]

    if norm_first:
        after_attention = X + attention(layer_norm(X, p["gamma1"], p["beta1"]))
        return after_attention + ffn(layer_norm(after_attention, p["gamma2"], p["beta2"]))
    after_attention = layer_norm(X + attention(X), p["gamma1"], p["beta1"])
    return layer_norm(after_attention + ffn(after_attention), p["gamma2"], p["beta2"])
