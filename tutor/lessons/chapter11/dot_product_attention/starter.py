"""Chapter 11 - scaled dot-product attention.

Write dot_product_attention(queries, keys, values, mask=None): softmax(Q Kᵀ/√d) V with a
boolean mask. Read the lesson with `tutor start`; `tutor hint chapter11/dot_product_attention`
when stuck. Grade it with: tutor check chapter11/dot_product_attention
"""

import torch


def dot_product_attention(queries: torch.Tensor, keys: torch.Tensor, values: torch.Tensor,
                          mask: torch.Tensor | None = None) -> torch.Tensor:
    """softmax(queries keysᵀ / √d) values over the keys.

    queries (B, Lq, d), keys (B, Lk, d), values (B, Lk, dv) -> (B, Lq, dv); inputs without the
    batch axis ((Lq, d), ...) work too. mask: bool, broadcastable to (B, Lq, Lk), True where a
    query may attend to a key; a query with no allowed key returns a zero vector.
    """
    raise NotImplementedError("dot_product_attention: write me")
