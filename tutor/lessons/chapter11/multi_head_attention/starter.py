"""Chapter 11 - multi-head attention.

Write split_heads and merge_heads (fold the heads into the batch axis and back), then
multi_head_attention. Read the lesson with `tutor start`; `tutor hint
chapter11/multi_head_attention` when stuck. Grade it with: tutor check chapter11/multi_head_attention
"""

import torch


def split_heads(X: torch.Tensor, num_heads: int) -> torch.Tensor:
    """(B, L, H) -> (B·num_heads, L, H/num_heads): row b·num_heads + i holds head i of sequence b,
    i.e. X[b, :, i·d:(i+1)·d] with d = H/num_heads."""
    raise NotImplementedError("split_heads: write me")


def merge_heads(X: torch.Tensor, num_heads: int) -> torch.Tensor:
    """The inverse of split_heads: (B·num_heads, L, d) -> (B, L, num_heads·d)."""
    raise NotImplementedError("merge_heads: write me")


def multi_head_attention(queries: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, W_q: torch.Tensor,
                         W_k: torch.Tensor, W_v: torch.Tensor, W_o: torch.Tensor, num_heads: int,
                         mask: torch.Tensor | None = None) -> torch.Tensor:
    """Multi-head scaled dot-product attention.

    queries (B, Lq, dq), keys (B, Lk, dk), values (B, Lk, dv); W_q (dq, H), W_k (dk, H),
    W_v (dv, H), W_o (H, d_out) -> (B, Lq, d_out). Each head attends with width d = H/num_heads
    and scale 1/√d. mask: bool, broadcastable to (B, Lq, Lk), True where a query may attend, the
    same for every head; a query with no allowed key gets zeros before W_o.
    """
    raise NotImplementedError("multi_head_attention: write me")
