"""Inputs, a round trip and the heavy oracle of chapter11/multi_head_attention.

The heavy check's expected values come from `kernel_mha`: numpy for the projections and the
head folding, and tutor.kernels.attention (Numba) for the attention of every head.
"""

from types import SimpleNamespace

import numpy as np
import torch

from tutor.grader import kit


def round_trip(module, ctx):
    X = torch.randn(3, 5, 12, generator=ctx.generator())
    split = kit.call(module, "split_heads", X.clone(), 4)
    return {"split": split, "merged back": kit.call(module, "merge_heads", split.clone(), 4)}


def self_attention_inputs(ctx, B=2, L=5, width=8, hidden=8, heads=4, out=6):
    """Self-attention: the same tensor as queries, keys and values, with a causal mask."""
    g = ctx.generator()
    X = torch.randn(B, L, width, generator=g)
    s = width ** -0.5
    return {"queries": X, "keys": X, "values": X,
            "W_q": torch.randn(width, hidden, generator=g) * s, "W_k": torch.randn(width, hidden, generator=g) * s,
            "W_v": torch.randn(width, hidden, generator=g) * s, "W_o": torch.randn(hidden, out, generator=g) * s,
            "num_heads": heads, "mask": torch.ones(L, L, dtype=torch.bool).tril()}


def heavy_inputs(ctx):
    return self_attention_inputs(ctx, B=4, L=128, width=128, hidden=128, heads=8, out=128)


def _shape(t) -> tuple:
    return tuple(t["__tensor__"]) if isinstance(t, dict) else tuple(np.shape(t))


def mha_call(inputs) -> str:
    """multi_head_attention(...) by shapes: the weights are many small tensors."""
    mask = inputs.get("mask")
    shown = "None" if mask is None else (kit.fmt_array(mask) if np.size(mask) <= 16 else f"of shape {_shape(mask)}")
    same = inputs["queries"] is inputs["keys"] or (
        not isinstance(inputs["queries"], dict) and _shape(inputs["queries"]) == _shape(inputs["keys"])
        and np.array_equal(inputs["queries"], inputs["keys"]))
    return (f"multi_head_attention(queries {_shape(inputs['queries'])}, keys {_shape(inputs['keys'])}, "
            f"values {_shape(inputs['values'])}, W_q {_shape(inputs['W_q'])}, W_o {_shape(inputs['W_o'])}, "
            f"num_heads={inputs['num_heads']}, mask {shown})"
            + (" [self-attention: queries = keys = values]" if same else "") + " [seeded random input]")


def kernel_mha():
    """Stands in for the learner's module in the heavy check."""
    from tutor import kernels

    def multi_head_attention(queries, keys, values, W_q, W_k, W_v, W_o, num_heads, mask=None):
        dtype = queries.dtype
        q, k, v, wq, wk, wv, wo = (t.detach().numpy().astype(np.float64)
                                   for t in (queries, keys, values, W_q, W_k, W_v, W_o))
        B, Lq, Lk = q.shape[0], q.shape[1], k.shape[1]

        def split(x):
            b, n, width = x.shape
            return x.reshape(b, n, num_heads, width // num_heads).transpose(0, 2, 1, 3).reshape(
                b * num_heads, n, width // num_heads)

        m = None if mask is None else np.repeat(np.broadcast_to(mask.numpy(), (B, Lq, Lk)), num_heads, axis=0)
        heads = kernels.attention(split(q @ wq), split(k @ wk), split(v @ wv), m)   # (B·heads, Lq, d)
        d = heads.shape[-1]
        merged = heads.reshape(B, num_heads, Lq, d).transpose(0, 2, 1, 3).reshape(B, Lq, num_heads * d)
        return torch.from_numpy(merged @ wo).to(dtype)

    return SimpleNamespace(multi_head_attention=multi_head_attention)
