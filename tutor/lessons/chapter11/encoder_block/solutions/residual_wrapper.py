import math

import torch


def layer_norm(X, gamma, beta, eps=1e-5):
    mean = X.mean(dim=-1, keepdim=True)
    var = X.var(dim=-1, unbiased=False, keepdim=True)
    return (X - mean) * torch.rsqrt(var + eps) * gamma + beta


def sublayer(X, f, gamma, beta, norm_first):
    """The one idea of the block: a residual connection and a layer norm around a sub-layer f."""
    if norm_first:
        return X + f(layer_norm(X, gamma, beta))
    return layer_norm(X + f(X), gamma, beta)


def encoder_block(X, params, num_heads, mask=None, norm_first=False):
    p = params
    B, L, H = X.shape
    d = H // num_heads

    def fold(T):     # (B, L, H) -> (B·heads, L, d)
        return T.reshape(B, L, num_heads, d).permute(0, 2, 1, 3).reshape(B * num_heads, L, d)

    def unfold(T):   # (B·heads, L, d) -> (B, L, H)
        return T.reshape(B, num_heads, L, d).permute(0, 2, 1, 3).reshape(B, L, H)

    def attention(Z):
        q, k, v = fold(Z @ p["W_q"]), fold(Z @ p["W_k"]), fold(Z @ p["W_v"])
        scores = torch.bmm(q, k.transpose(1, 2)) / math.sqrt(d)
        if mask is not None:
            allowed = torch.broadcast_to(mask, (B, L, L)).repeat_interleave(num_heads, dim=0)
            scores = scores.masked_fill(~allowed, float("-inf"))
            weights = torch.softmax(scores, dim=-1).nan_to_num(0.0)
        else:
            weights = torch.softmax(scores, dim=-1)
        return unfold(torch.bmm(weights, v)) @ p["W_o"]

    def ffn(Z):
        return torch.clamp(Z @ p["W_1"] + p["b_1"], min=0) @ p["W_2"] + p["b_2"]

    Y = sublayer(X, attention, p["gamma1"], p["beta1"], norm_first)
    return sublayer(Y, ffn, p["gamma2"], p["beta2"], norm_first)
