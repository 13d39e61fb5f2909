"""Inputs of chapter9/rnn_forward: the five tensors of one RNN, drawn together."""

import torch


def rnn_inputs(ctx, T, B, D, H, dtype="float32", x_scale=1.0, offset=0):
    """Weights scaled by 1/√fan-in, so the states stay in tanh's working range (unless x_scale is large)."""
    g = ctx.generator(offset)
    dt = getattr(torch, dtype)

    def r(*shape, s=1.0):
        return (torch.randn(*shape, generator=g, dtype=torch.float64) * s).to(dt)

    return {"X": r(T, B, D, s=x_scale), "H0": r(B, H, s=0.5), "W_xh": r(D, H, s=1 / D ** 0.5),
            "W_hh": r(H, H, s=1 / H ** 0.5), "b_h": r(H, s=0.2)}


def sizes_call(inputs):
    def shape(name):
        value = inputs.get(name)
        s = value.get("__tensor__") if isinstance(value, dict) else getattr(value, "shape", None)
        return tuple(s) if s is not None else "?"

    return (f"rnn_forward(X{shape('X')}, H0{shape('H0')}, W_xh{shape('W_xh')}, W_hh{shape('W_hh')}, "
            f"b_h{shape('b_h')}) [seeded random inputs]")
