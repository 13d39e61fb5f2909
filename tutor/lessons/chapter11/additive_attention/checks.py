"""The equal-keys property of chapter11/additive_attention."""

import numpy as np
import torch


def equal_keys(ctx):
    """Batch 2, 3 queries, 4 keys that are all the same vector (per batch element)."""
    g = ctx.generator()
    key = torch.randn(2, 1, 3, generator=g)
    return {"queries": torch.randn(2, 3, 5, generator=g), "keys": key.repeat(1, 4, 1),
            "values": torch.randn(2, 4, 2, generator=g), "W_q": torch.randn(5, 6, generator=g),
            "W_k": torch.randn(3, 6, generator=g), "w_v": torch.randn(6, generator=g)}


def equal_keys_call(inputs) -> str:
    return "additive_attention(3 queries, 4 identical keys, values (2, 4, 2), h = 6)"


def mean_of_values(out, inputs) -> bool:
    want = np.asarray(inputs["values"], dtype=np.float64).mean(axis=1, keepdims=True)
    out = np.asarray(out, dtype=np.float64)
    return out.shape == (2, 3, 2) and bool(np.allclose(out, np.broadcast_to(want, out.shape), atol=1e-5))
