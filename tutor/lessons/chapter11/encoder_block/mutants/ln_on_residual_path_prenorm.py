# diagnosis: encoder.prenorm_normalised_residual
import math

import torch


def layer_norm(X: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    mean = X.mean(dim=-1, keepdim=True)
    var = ((X - mean) ** 2).mean(dim=-1, keepdim=True)                 # biased: divide by d, not d − 1
    return (X - mean) / torch.sqrt(var + eps) * gamma + beta


def self_attention(X: torch.Tensor, p: dict, num_heads: int, mask: torch.Tensor | None) -> torch.Tensor:
    B, L, H = X.shape
    d = H // num_heads

    def split(T):                                                       # (B, L, H) -> (B, heads, L, d)
        return T.reshape(B, L, num_heads, d).transpose(1, 2)

    q, k, v = split(X @ p["W_q"]), split(X @ p["W_k"]), split(X @ p["W_v"])
    scores = q @ k.transpose(-2, -1) / math.sqrt(d)                     # (B, heads, L, L)
    if mask is None:
        weights = torch.softmax(scores, dim=-1)
    else:
        allowed = torch.broadcast_to(mask, (B, L, L))[:, None]          # the same mask for every head
        weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1)
        weights = torch.where(allowed.any(dim=-1, keepdim=True), weights, torch.zeros_like(weights))
    return (weights @ v).transpose(1, 2).reshape(B, L, H) @ p["W_o"]


def feed_forward(X: torch.Tensor, p: dict) -> torch.Tensor:
    return torch.relu(X @ p["W_1"] + p["b_1"]) @ p["W_2"] + p["b_2"]


def encoder_block(X: torch.Tensor, params: dict, num_heads: int, mask: torch.Tensor | None = None,
                  norm_first: bool = False) -> torch.Tensor:
    p = params
    if norm_first:  # pre-norm: normalise the sub-layer's input; the residual path stays untouched
        N = layer_norm(X, p["gamma1"], p["beta1"])
        X = N + self_attention(N, p, num_heads, mask)
        N = layer_norm(X, p["gamma2"], p["beta2"])
        return N + feed_forward(N, p)
    # post-norm: add the residual first, then normalise the sum
    Y = layer_norm(X + self_attention(X, p, num_heads, mask), p["gamma1"], p["beta1"])
    return layer_norm(Y + feed_forward(Y, p), p["gamma2"], p["beta2"])
