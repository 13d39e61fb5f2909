"""Inputs, scenarios and oracles of chapter10/deep_rnn.

The expected outputs come from torch.nn.RNN itself, run by the grader only with the check's
parameters swapped in (torch.func.functional_call, so gradients reach them too). The heavy check
takes them from the Numba kernel tutor.kernels.rnn_forward instead, one layer and one direction
at a time: an implementation that shares nothing with torch. reference.py is a hand-written loop
that must agree with both, like any solution.
"""

import re
from types import SimpleNamespace

import numpy as np
import torch

from tutor.grader import kit

DTYPES = {"float32": torch.float32, "float64": torch.float64}
NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def param_names(num_layers: int, bidirectional: bool) -> list[str]:
    """torch.nn.RNN's parameter names, in its own order: layer by layer, forward before reverse."""
    suffixes = ("", "_reverse") if bidirectional else ("",)
    return [f"{name}_l{k}{s}" for k in range(num_layers) for s in suffixes for name in NAMES]


def _nn_rnn_deep_rnn(X, params, num_layers, bidirectional=False, h0=None):
    D, H = params["weight_ih_l0"].shape[1], params["weight_hh_l0"].shape[0]
    rnn = torch.nn.RNN(D, H, num_layers=num_layers, nonlinearity="tanh", bidirectional=bidirectional,
                       dtype=X.dtype)
    out, h_n = torch.func.functional_call(rnn, dict(params), (X, h0))
    return out, h_n


def torch_rnn():
    """The oracle of every check but the heavy one: torch.nn.RNN with the check's parameters."""
    return SimpleNamespace(deep_rnn=_nn_rnn_deep_rnn)


def _kernel_deep_rnn(X, params, num_layers, bidirectional=False, h0=None):
    from tutor.kernels import rnn_forward

    dirs = 2 if bidirectional else 1
    H = params["weight_hh_l0"].shape[0]
    dt = np.float64 if X.dtype == torch.float64 else np.float32
    h0 = np.zeros((num_layers * dirs, X.shape[1], H), dt) if h0 is None else h0.numpy().astype(dt)
    layer_input, last = X.numpy().astype(dt), []
    for k in range(num_layers):
        halves = []
        for d, suffix in enumerate(("", "_reverse")[:dirs]):
            w_ih, w_hh, b_ih, b_hh = (params[f"{n}_l{k}{suffix}"].numpy().astype(dt) for n in NAMES)
            # The kernel keeps weights as (in, out) and one bias; the reverse direction is the
            # forward recurrence over the time-reversed sequence, its states flipped back.
            seq = layer_input[::-1] if d == 1 else layer_input
            states = np.asarray(rnn_forward(np.ascontiguousarray(seq), h0[k * dirs + d], np.ascontiguousarray(w_ih.T),
                                            np.ascontiguousarray(w_hh.T), b_ih + b_hh))
            last.append(states[-1])
            halves.append(states[::-1] if d == 1 else states)
        layer_input = np.concatenate(halves, axis=-1)
    return torch.from_numpy(np.ascontiguousarray(layer_input)), torch.from_numpy(np.stack(last))


def kernel_rnn():
    """The heavy check's oracle: the Numba RNN kernel, per layer and direction."""
    return SimpleNamespace(deep_rnn=_kernel_deep_rnn)


def _t(v, dtype=torch.float32):
    return torch.tensor(v, dtype=dtype)


def lesson_inputs(ctx):
    """The lesson's hand-worked example: one bidirectional layer, T = 2, B = D = H = 1, h0 left out."""
    params = {"weight_ih_l0": _t([[1.0]]), "weight_hh_l0": _t([[0.5]]), "bias_ih_l0": _t([0.0]),
              "bias_hh_l0": _t([0.0]), "weight_ih_l0_reverse": _t([[2.0]]), "weight_hh_l0_reverse": _t([[-1.0]]),
              "bias_ih_l0_reverse": _t([0.0]), "bias_hh_l0_reverse": _t([0.0])}
    return {"X": _t([[[0.5]], [[-1.0]]]), "params": params, "num_layers": 1, "bidirectional": True}


def rnn_inputs(ctx, T, B, D, H, num_layers, bidirectional, with_h0=True, dtype="float32", x_scale=1.0, offset=0):
    """Parameters drawn as nn.RNN draws them (uniform in ±1/√H); h0 uniform in (−1, 1) unless left out."""
    g = ctx.generator(offset)
    dt = DTYPES[dtype]
    bound = 1 / H ** 0.5
    dirs = 2 if bidirectional else 1
    params = {}
    for name in param_names(num_layers, bidirectional):
        k = int(name.split("_l")[1].split("_")[0])
        fan_in = D if k == 0 else dirs * H
        shape = {"weight_ih": (H, fan_in), "weight_hh": (H, H)}.get(name[:9], (H,))
        params[name] = (torch.rand(*shape, generator=g, dtype=torch.float64) * 2 - 1).mul(bound).to(dt)
    X = (torch.randn(T, B, D, generator=g, dtype=torch.float64) * x_scale).to(dt)
    inputs = {"X": X, "params": params, "num_layers": num_layers, "bidirectional": bidirectional}
    if with_h0:
        inputs["h0"] = (torch.rand(num_layers * dirs, B, H, generator=g, dtype=torch.float64) * 2 - 1).to(dt)
    return inputs


def _shape(value):
    s = value.get("__tensor__") if isinstance(value, dict) else getattr(value, "shape", None)
    return tuple(s) if s is not None else "?"


def _dtype(value):
    d = value.get("dtype") if isinstance(value, dict) else getattr(value, "dtype", None)
    return str(getattr(d, "name", d)).removeprefix("torch.")


def sizes_call(inputs):
    """The call as the learner would write it, with shapes for the tensors."""
    params = inputs.get("params") or {}
    H = _shape(params.get("weight_hh_l0", {}))[0] if "weight_hh_l0" in params else "?"
    h0 = f", h0=<{_shape(inputs['h0'])}>" if "h0" in inputs else ""
    return (f"deep_rnn(X<{_shape(inputs.get('X'))}, {_dtype(inputs.get('X'))}>, params<{len(params)} tensors, H={H}>, "
            f"num_layers={inputs.get('num_layers')}, bidirectional={inputs.get('bidirectional')}{h0})")


def lesson_call(inputs):
    return ("deep_rnn(the lesson's example: X = [[[0.5]], [[-1.0]]], one bidirectional layer, "
            "num_layers=1, bidirectional=True, no h0)")


def gradients(module, ctx):
    """float64 gradients of a random weighting of outputs and h_n w.r.t. X, h0 and every parameter."""
    inputs = rnn_inputs(ctx, T=3, B=2, D=2, H=3, num_layers=2, bidirectional=True, dtype="float64")
    X, h0 = inputs["X"].requires_grad_(True), inputs["h0"].requires_grad_(True)
    params = {k: v.requires_grad_(True) for k, v in inputs["params"].items()}
    out, h_n = kit.function(module, "deep_rnn")(X, params, 2, bidirectional=True, h0=h0)
    g = ctx.generator(7)
    loss = (out * torch.randn(out.shape, generator=g, dtype=torch.float64)).sum() + \
        (h_n * torch.randn(h_n.shape, generator=g, dtype=torch.float64)).sum()
    wrt = {"X": X, "h0": h0, **params}
    grads = torch.autograd.grad(loss, list(wrt.values()), allow_unused=True)
    return {name: (torch.zeros_like(v) if gr is None else gr.detach()) for (name, v), gr in zip(wrt.items(), grads)}


def _pair(result):
    out = result.get("out") if isinstance(result, dict) else None
    if isinstance(out, (list, tuple)) and len(out) == 2 and all(isinstance(a, np.ndarray) for a in out):
        return out
    return None


def _close(a, b):
    with np.errstate(invalid="ignore", over="ignore"):
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-4, atol=1e-6))


def detect_final_states(got, expected):
    """Outputs right but h_n wrong in a recognisable way, whatever the code that got there:
    h_n in direction-major order, or the last layer's backward final state read off outputs[-1]."""
    mine, want = _pair(got), _pair(expected)
    if mine is None or want is None or not _close(mine[0], want[0]) or mine[1].shape != want[1].shape:
        return None
    out, h_n = want
    H = h_n.shape[-1]
    if h_n.ndim != 3 or out.shape[-1] != 2 * H:
        return None  # one direction: no order to get wrong, and outputs[-1] is the final state
    layers = h_n.shape[0] // 2
    direction_major = h_n.reshape(layers, 2, *h_n.shape[1:]).swapaxes(0, 1).reshape(h_n.shape)
    if _close(mine[1], direction_major) and not _close(h_n, direction_major):
        return "deep_rnn.direction_major"
    backward_last = out[-1, :, H:]
    # Only the last layer's outputs are known here; its forward states must be right too.
    if _close(mine[1][-1], backward_last) and not _close(h_n[-1], backward_last) and _close(mine[1][::2], h_n[::2]):
        return "deep_rnn.h_n_from_last_step"
    return None


def detect_concat_axis(got, expected):
    """outputs holding the two directions' states joined along time or batch instead of features,
    whichever of the two axes (the mutant only joins along time)."""
    mine, want = _pair(got), _pair(expected)
    if mine is None or want is None or mine[0].shape == want[0].shape:
        return None
    out, h_n = want
    H = h_n.shape[-1]
    if out.ndim != 3 or out.shape[-1] != 2 * H:
        return None
    halves = (out[..., :H], out[..., H:])
    for axis in (0, 1):
        for pair in (halves, halves[::-1]):
            if _close(mine[0], np.concatenate(pair, axis=axis)):
                return "deep_rnn.concat_wrong_axis"
    return None


# -- two layers whose sizes tell the halves apart ---------------------------------------------------
# Feeding layer 1 only the forward half of layer 0 usually does not give wrong numbers: it crashes,
# because weight_ih_l1 expects 2H features. With H = 7 and D = 5, a shape error that names 7 and 14,
# raised by code whose single layer is right, is that mistake in practice; any other error stays an error.
WIDTH = {"T": 3, "B": 2, "D": 5, "H": 7}
HALF_ONLY = re.compile(r"(?<!\d)7(?!\d).*(?<!\d)14(?!\d)|(?<!\d)14(?!\d).*(?<!\d)7(?!\d)", re.S)


def run_layer_input(module, ctx):
    """Two bidirectional layers; one layer alone first, so that a crash at layer 1 can be told apart."""
    inputs = rnn_inputs(ctx, num_layers=2, bidirectional=True, offset=8, **WIDTH)
    deep_rnn = kit.function(module, "deep_rnn")
    X, params, h0 = inputs["X"], inputs["params"], inputs["h0"]
    first = {k: v for k, v in params.items() if "_l0" in k}
    layer0, _ = deep_rnn(X, first, 1, bidirectional=True, h0=h0[:2])
    try:
        outputs, h_n = deep_rnn(X, params, 2, bidirectional=True, h0=h0)
        raised = ""
    except RuntimeError as exc:
        T, B, H = WIDTH["T"], WIDTH["B"], WIDTH["H"]
        if not (HALF_ONLY.search(str(exc)) and getattr(layer0, "shape", None) == (T, B, 2 * H)):
            raise
        outputs, h_n, raised = torch.zeros(T, B, 2 * H, dtype=X.dtype), torch.zeros(4, B, H, dtype=X.dtype), str(exc)
    return {"outputs": outputs, "h_n": h_n, "layer0": layer0, "raised": raised[:300]}


def judge_layer_input(got, expected, jc):
    call = (f"deep_rnn(X<(3, 2, 5)>, params of two bidirectional layers with H=7, num_layers=2, bidirectional=True, "
            f"h0=<(4, 2, 7)>)")
    if got["raised"]:
        return jc.fail(f"{call}: one layer alone is right (outputs of shape (3, 2, 14)), but two layers raised "
                       f"RuntimeError: {got['raised']}", "deep_rnn.forward_half_only")
    mismatch = kit.compare_plain({k: got[k] for k in ("outputs", "h_n")}, {k: expected[k] for k in ("outputs", "h_n")},
                                 rtol=1e-5, atol=1e-6)
    if mismatch:
        return kit.Mismatch(f"{call}: {mismatch.message}", mismatch.details)
    return None
