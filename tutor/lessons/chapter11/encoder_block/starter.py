"""Chapter 11 - a transformer encoder block.

Write layer_norm, then encoder_block: multi-head self-attention and a feed-forward network,
each wrapped in a residual connection and a layer norm, in post-norm or pre-norm order.
Read the lesson with `tutor start`; `tutor hint chapter11/encoder_block` when stuck.
Grade it with: tutor check chapter11/encoder_block
"""

import torch


def layer_norm(X: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    """Normalise every vector along the last axis: (x − mean) / √(biased variance + eps) · gamma + beta."""
    raise NotImplementedError("layer_norm: write me")


def encoder_block(X: torch.Tensor, params: dict, num_heads: int, mask: torch.Tensor | None = None,
                  norm_first: bool = False) -> torch.Tensor:
    """One transformer encoder block on X (B, L, d) -> (B, L, d).

    params: W_q, W_k, W_v, W_o (d, d); W_1 (d, f), b_1 (f,), W_2 (f, d), b_2 (d,);
    gamma1, beta1 (the attention sub-layer's layer norm), gamma2, beta2 (the FFN's), each (d,).
    Self-attention: multi-head scaled dot-product attention of X with itself (no biases; mask as
    in multi_head_attention, True = may attend). FFN: relu(X W_1 + b_1) W_2 + b_2.
    norm_first=False: post-norm, layer_norm(X + sublayer(X)); True: pre-norm, X + sublayer(layer_norm(X)).
    """
    raise NotImplementedError("encoder_block: write me")
