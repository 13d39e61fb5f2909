"""Scenarios, inputs and the oracle of chapter9/bptt.

The expected gradients come from autograd, in float64, on the same unrolled network
(`autograd_oracle`, run only by the grader); reference.py is a hand-written BPTT that must agree
with it like any solution.
"""

from types import SimpleNamespace

import torch

from tutor.grader import kit

F64 = torch.float64
NAMES = ("W_xh", "W_hh", "b_h", "W_hq", "b_q", "H0")
ARGS = ("X", "H0", "W_xh", "W_hh", "b_h", "W_hq", "b_q", "dO")
SWEEP_T = 5


def lesson_inputs(ctx, truncate=None):
    """The lesson's hand-worked example: T=2, every size 1, only the last output matters."""
    def t(v):
        return torch.tensor(v, dtype=F64)

    return {"X": t([[[1.0]], [[0.0]]]), "H0": t([[0.0]]), "W_xh": t([[1.0]]), "W_hh": t([[1.0]]), "b_h": t([0.0]),
            "W_hq": t([[1.0]]), "b_q": t([0.0]), "dO": t([[[0.0]], [[1.0]]]), "truncate": truncate}


def rnn_inputs(ctx, T, B, D, H, Q, truncate=None, w_hh_scale=0.6, offset=0):
    g = ctx.generator(offset)

    def r(*shape, s=1.0):
        return torch.randn(*shape, generator=g, dtype=F64) * s

    return {"X": r(T, B, D), "H0": r(B, H, s=0.5), "W_xh": r(D, H, s=0.5), "W_hh": r(H, H, s=w_hh_scale / H ** 0.5),
            "b_h": r(H, s=0.1), "W_hq": r(H, Q, s=0.5), "b_q": r(Q, s=0.1), "dO": r(T, B, Q), "truncate": truncate}


def lesson_call(inputs):
    return f"rnn_bptt(the lesson's example, truncate={inputs.get('truncate')})"


def sizes_call(inputs):
    T, B, D = inputs["X"].shape
    H, Q = inputs["W_hq"].shape
    return f"rnn_bptt(T={T}, B={B}, D={D}, H={H}, Q={Q}, truncate={inputs.get('truncate')})"


# -- truncation at every k ------------------------------------------------------------------

def sweep(module, ctx):
    """One sequence of T=5 steps, graded with truncate = 1, 2, ..., T+1 and None."""
    inputs = rnn_inputs(ctx, SWEEP_T, 2, 3, 4, 2)
    bptt = kit.function(module, "rnn_bptt")
    return {f"truncate={k}": bptt(*[inputs[a].clone() for a in ARGS], truncate=k)
            for k in [*range(1, SWEEP_T + 2), None]}


def judge_sweep(got, expected, jc):
    for key, want in expected.items():
        m = kit.compare_plain(got.get(key), want, what="gradient")
        if m:
            return kit.Mismatch(f"rnn_bptt(T={SWEEP_T}, {key}) on a random sequence: {m.message}", m.details)
    return None


def _get(result, k):
    return result.get(f"truncate={k}")


def off_by_one(got, expected):
    """Every truncate=k answer equals the reference's for k+1 (or for k-1): the window is a step off."""
    too_far = all(kit.same_result(_get(got, k), _get(expected, k + 1)) for k in range(1, SWEEP_T + 1))
    too_short = all(kit.same_result(_get(got, k), _get(expected, k - 1)) for k in range(2, SWEEP_T + 2))
    return "bptt.truncation_off_by_one" if too_far or too_short else None


def ignores_truncate(got, expected):
    """Every truncate=k answer equals full BPTT."""
    full = _get(expected, None)
    if all(kit.same_result(_get(got, k), full) for k in range(1, SWEEP_T + 1)):
        return "bptt.ignores_truncate"
    return None


def h0_at_boundary(got, expected):
    """All weight gradients right; H0's equals the one-step-longer window's: H_{t-k} = H0 was not a constant."""
    for k in range(1, SWEEP_T + 1):
        g, e, e_next = _get(got, k), _get(expected, k), _get(expected, k + 1)
        if not isinstance(g, dict):
            return None
        weights_ok = all(kit.same_result(g.get(n), e[n]) for n in NAMES if n != "H0")
        if not (weights_ok and kit.same_result(g.get("H0"), e_next["H0"])):
            return None
    return "bptt.h0_boundary"


# -- properties -----------------------------------------------------------------------------

def h0_gets_nothing(out, inputs):
    return abs(out["H0"]).max() == 0


def b_q_is_summed_dO(out, inputs):
    return abs(out["b_q"] - inputs["dO"].sum(axis=(0, 1))).max() < 1e-12


def shapes_match(out, inputs):
    return all(out[n].shape == inputs[n].shape for n in NAMES)


# -- the oracle -------------------------------------------------------------------------------

def autograd_bptt(X, H0, W_xh, W_hh, b_h, W_hq, b_q, dO, truncate=None):
    given = {"W_xh": W_xh, "W_hh": W_hh, "b_h": b_h, "W_hq": W_hq, "b_q": b_q, "H0": H0}
    leaf = {k: v.detach().to(torch.float64).clone().requires_grad_(True) for k, v in given.items()}
    X64, dO64 = X.detach().to(torch.float64), dO.detach().to(torch.float64)
    T = X64.shape[0]

    def step(x, h):
        return torch.tanh(x @ leaf["W_xh"] + h @ leaf["W_hh"] + leaf["b_h"])

    def output_term(t, h):  # <dO_t, O_t> for 1-based t
        return (dO64[t - 1] * (h @ leaf["W_hq"] + leaf["b_q"])).sum()

    if truncate is None:  # full BPTT: one graph through all T steps
        h, loss = leaf["H0"], 0.0
        for t in range(1, T + 1):
            h = step(X64[t - 1], h)
            loss = loss + output_term(t, h)
        grads = torch.autograd.grad(loss, list(leaf.values()), allow_unused=True)
    else:
        with torch.no_grad():  # the forward values, to restart windows from H_{t-k}
            states = [leaf["H0"].detach()]
            for t in range(1, T + 1):
                states.append(step(X64[t - 1], states[-1]))
        grads = [torch.zeros_like(v) for v in leaf.values()]
        for t in range(1, T + 1):
            start = t - truncate
            if start < 0:  # the window reaches past the start: H0 itself receives gradient
                start, h = 0, leaf["H0"]
            else:  # H_{t-k} is a constant for this output
                h = states[start].detach()
            for s in range(start + 1, t + 1):
                h = step(X64[s - 1], h)
            part = torch.autograd.grad(output_term(t, h), list(leaf.values()), allow_unused=True)
            grads = [g + p if p is not None else g for g, p in zip(grads, part)]
    out = {}
    for (name, value), g in zip(given.items(), grads):
        g = torch.zeros_like(leaf[name]) if g is None else g
        out[name] = g.detach().to(value.dtype)
    return {name: out[name] for name in NAMES}


def autograd_oracle():
    return SimpleNamespace(rnn_bptt=autograd_bptt)
