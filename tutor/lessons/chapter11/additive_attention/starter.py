"""Chapter 11 - additive attention.

Write additive_attention: scores w_vᵀ tanh(W_qᵀ q + W_kᵀ k), a masked softmax over the keys,
and the weighted average of the values. Read the lesson with `tutor start`; `tutor hint
chapter11/additive_attention` when stuck. Grade it with: tutor check chapter11/additive_attention
"""

import torch


def additive_attention(queries: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, W_q: torch.Tensor,
                       W_k: torch.Tensor, w_v: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """Additive (Bahdanau-style) attention.

    queries (B, Lq, dq), keys (B, Lk, dk), values (B, Lk, dv), W_q (dq, h), W_k (dk, h), w_v (h,)
    -> (B, Lq, dv). mask: bool, broadcastable to (B, Lq, Lk), True where a query may attend to
    a key; a query with no allowed key returns a zero vector.
    """
    raise NotImplementedError("additive_attention: write me")
