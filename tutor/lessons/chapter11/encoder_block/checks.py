"""Inputs and call descriptions of chapter11/encoder_block's block checks.

The block's weights travel in one dict (`params`); every check draws them from its own seed.
The lesson's example switches both sub-layers off (W_o = 0 and W_2 = 0, b_2 = 0) so that what
remains is the residual and normalisation skeleton of the block.
"""

import numpy as np
import torch

LESSON_X = [[[1.0, 2.0, 3.0, 4.0], [4.0, 0.0, 0.0, 0.0], [0.0, 2.0, 0.0, 2.0]]]


def _mask(kind: str, B: int, L: int, g):
    if kind == "none":
        return None
    if kind == "causal":
        return torch.ones(L, L, dtype=torch.bool).tril()
    if kind == "padding":  # one valid length per sequence, the first one full
        lengths = torch.randint(1, L + 1, (B,), generator=g)
        lengths[0] = L
        return (torch.arange(L) < lengths[:, None])[:, None, :]
    raise ValueError(f"unknown mask kind {kind!r}")


def block_inputs(ctx, B=2, L=5, d=8, f=16, heads=2, norm_first=False, mask="none", dtype="float32",
                 switched_off=False):
    g = ctx.generator()
    dt = getattr(torch, dtype)

    def r(*shape, s=1.0, shift=0.0):
        return (torch.randn(*shape, generator=g, dtype=torch.float64) * s + shift).to(dt)

    X = torch.tensor(LESSON_X, dtype=dt) if switched_off else r(B, L, d)
    B, L, d = X.shape
    params = {"W_q": r(d, d, s=d ** -0.5), "W_k": r(d, d, s=d ** -0.5), "W_v": r(d, d, s=d ** -0.5),
              "W_o": r(d, d, s=d ** -0.5), "W_1": r(d, f, s=d ** -0.5), "b_1": r(f, s=0.1),
              "W_2": r(f, d, s=f ** -0.5), "b_2": r(d, s=0.1),
              "gamma1": r(d, s=0.1, shift=1.0), "beta1": r(d, s=0.1),
              "gamma2": r(d, s=0.1, shift=1.0), "beta2": r(d, s=0.1)}
    if switched_off:
        for name in ("W_o", "W_2", "b_2"):
            params[name] = torch.zeros_like(params[name])
        for name in ("gamma1", "gamma2"):
            params[name] = torch.ones_like(params[name])
        for name in ("beta1", "beta2"):
            params[name] = torch.zeros_like(params[name])
    return {"X": X, "params": params, "num_heads": heads, "mask": _mask(mask, B, L, g), "norm_first": norm_first}


def _shape(t) -> tuple:
    return tuple(t["__tensor__"]) if isinstance(t, dict) and "__tensor__" in t else tuple(np.shape(t))


def block_call(inputs) -> str:
    X, p, mask = inputs["X"], inputs["params"], inputs.get("mask")
    if np.size(X) <= 16:
        shown_x = f"X = {np.asarray(X).tolist()}"
    else:
        shown_x = f"X {_shape(X)}"
    if mask is None:
        shown_mask = "None"
    elif np.size(mask) <= 16:
        shown_mask = str(np.asarray(mask).astype(int).tolist())
    else:
        shown_mask = f"of shape {_shape(mask)}"
    off = not np.any(np.asarray(p["W_o"])) and not np.any(np.asarray(p["W_2"]))
    weights = "W_o = 0, W_2 = 0, b_2 = 0, γ = 1, β = 0" if off else \
        f"seeded random params (d = {_shape(p['W_q'])[0]}, FFN width {_shape(p['W_1'])[1]})"
    return (f"encoder_block({shown_x}, {weights}, num_heads={inputs['num_heads']}, mask={shown_mask}, "
            f"norm_first={inputs['norm_first']})")
