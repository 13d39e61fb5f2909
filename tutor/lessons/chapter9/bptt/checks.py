"""Checks for chapter9/bptt, smallest first.

The expected gradients come from autograd, in float64, run by the grader on the same unrolled
network (`autograd_bptt` below); reference.py is a hand-written BPTT that must agree with it.
The learner's child never runs autograd: `expected_from_autograd` swaps the module only in the
grader's reference role.
"""

import types

import torch

from tutor.grader.checks import Mismatch, PropertyCheck, ScenarioCheck, ValueCheck, compare_plain, same_result

F = "rnn_bptt"
F64 = torch.float64
NAMES = ("W_xh", "W_hh", "b_h", "W_hq", "b_q", "H0")


def tiny(truncate=None):
    """The lesson's hand-worked example: T=2, every size 1, only the last output matters."""
    def make(ctx):
        t = lambda v: torch.tensor(v, dtype=F64)
        return {"X": t([[[1.0]], [[0.0]]]), "H0": t([[0.0]]), "W_xh": t([[1.0]]), "W_hh": t([[1.0]]),
                "b_h": t([0.0]), "W_hq": t([[1.0]]), "b_q": t([0.0]), "dO": t([[[0.0]], [[1.0]]]),
                "truncate": truncate}
    return make


def rnn(T, B, D, H, Q, truncate=None, w_hh_scale=0.6, offset=0):
    def make(ctx):
        g = ctx.generator(offset)
        r = lambda *shape, s=1.0: torch.randn(*shape, generator=g, dtype=F64) * s
        return {"X": r(T, B, D), "H0": r(B, H, s=0.5), "W_xh": r(D, H, s=0.5), "W_hh": r(H, H, s=w_hh_scale / H ** 0.5),
                "b_h": r(H, s=0.1), "W_hq": r(H, Q, s=0.5), "b_q": r(Q, s=0.1), "dO": r(T, B, Q), "truncate": truncate}
    return make


def call(module, inputs):
    args = [inputs[k] for k in ("X", "H0", "W_xh", "W_hh", "b_h", "W_hq", "b_q", "dO")]
    fn = getattr(module, F, None)
    if fn is None:
        raise AttributeError(f"your file does not define `{F}`")
    return fn(*args, truncate=inputs["truncate"])


# -- truncation at every k ------------------------------------------------------------------
SWEEP_T = 5


def sweep(module, ctx):
    """One sequence of T=5 steps, graded with truncate = 1, 2, ..., T+1 and None."""
    inputs = rnn(SWEEP_T, 2, 3, 4, 2)(ctx)
    out = {}
    for k in [*range(1, SWEEP_T + 2), None]:
        fresh = {name: v.clone() if isinstance(v, torch.Tensor) else v for name, v in inputs.items()}
        out[f"truncate={k}"] = call(module, dict(fresh, truncate=k))
    return out


def judge_sweep(got, expected, jc):
    if not isinstance(got, dict):
        return Mismatch(f"expected a dict of gradients, got {type(got).__name__}")
    for key, want in expected.items():
        m = compare_plain(got.get(key), want, what="gradient")
        if m:
            return Mismatch(f"rnn_bptt(T={SWEEP_T}, {key}) on a random sequence: {m.message}", m.details)
    return None


def _get(result, k):
    return result.get(f"truncate={k}") if isinstance(result, dict) else None


def off_by_one(got, expected):
    """Every truncate=k answer equals the reference's for k+1 (or for k-1): the window is a step off."""
    if not isinstance(got, dict):
        return None
    too_far = all(same_result(_get(got, k), _get(expected, k + 1)) for k in range(1, SWEEP_T + 1))
    too_short = all(same_result(_get(got, k), _get(expected, k - 1)) for k in range(2, SWEEP_T + 2))
    return "bptt.truncation_off_by_one" if too_far or too_short else None


def ignores_truncate(got, expected):
    """Every truncate=k answer equals full BPTT."""
    if not isinstance(got, dict):
        return None
    full = _get(expected, None)
    if all(same_result(_get(got, k), full) for k in range(1, SWEEP_T + 1)):
        return "bptt.ignores_truncate"
    return None


def h0_at_boundary(got, expected):
    """All weight gradients right; H0's equals the one-step-longer window's: H_{t-k} = H0 was not a constant."""
    if not isinstance(got, dict):
        return None
    for k in range(1, SWEEP_T + 1):
        g, e, e_next = _get(got, k), _get(expected, k), _get(expected, k + 1)
        if not isinstance(g, dict):
            return None
        weights_ok = all(same_result(g.get(n), e[n]) for n in NAMES if n != "H0")
        if not (weights_ok and same_result(g.get("H0"), e_next["H0"])):
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


AUTOGRAD = types.SimpleNamespace(rnn_bptt=autograd_bptt)


def expected_from_autograd(check):
    """Run the check on autograd instead of reference.py when the grader computes the expected side."""
    run = check.run

    def run_with_oracle(module, ctx):
        return run(AUTOGRAD if ctx.role == "reference" else module, ctx)

    check.run = run_with_oracle
    return check


class BPTTCheck(ValueCheck):
    """A value check whose messages describe the call by its sizes, not by eight printed tensors."""

    def __init__(self, name, inputs, label=None, **kw):
        super().__init__(name, F, inputs, keywords=("truncate",), **kw)
        self.label = label

    def describe_call(self, result):
        inputs = result.get("inputs", {})
        truncate = inputs.get("truncate")
        if self.label:
            return f"rnn_bptt({self.label}, truncate={truncate})"
        try:
            T, B, D = inputs["X"].shape
            H, Q = inputs["W_hq"].shape
        except (KeyError, ValueError, AttributeError):
            return "rnn_bptt(...)"
        return f"rnn_bptt(T={T}, B={B}, D={D}, H={H}, Q={Q}, truncate={truncate})"


KW = ("truncate",)


def bptt_property(name, inputs, properties):
    check = PropertyCheck(name, F, inputs, properties, keywords=KW)
    check.value = BPTTCheck(name, inputs)  # same call, shorter description in messages
    return check

CHECKS = [expected_from_autograd(c) for c in [
    BPTTCheck("the lesson's two-step example, full BPTT", tiny(), label="the lesson's example"),
    BPTTCheck("the lesson's two-step example with truncate=1", tiny(1), label="the lesson's example"),
    BPTTCheck("random RNN (T=6, B=3, D=4, H=5, Q=2), full BPTT, float64 vs autograd", rnn(6, 3, 4, 5, 2)),
    ScenarioCheck(f"truncation at every k = 1 … {SWEEP_T + 1} and None (T={SWEEP_T})", sweep, judge_sweep,
                  detectors=(ignores_truncate, off_by_one, h0_at_boundary)),
    BPTTCheck("boundary: truncate=T, so O_T no longer reaches H0 (T=4)", rnn(4, 2, 3, 3, 2, truncate=4, offset=1)),
    bptt_property("truncate=1: each output reaches only its own H_t", rnn(5, 2, 3, 4, 3, truncate=1, offset=2),
                  [("every gradient has its parameter's shape", shapes_match),
                   ("H0 receives no gradient at all (H_{t-1} is a constant for every O_t)", h0_gets_nothing),
                   ("the gradient for b_q is dO summed over time and batch", b_q_is_summed_dO)]),
    BPTTCheck("batch of one, single time step (T=1, B=1)", rnn(1, 1, 2, 3, 2, offset=3)),
    BPTTCheck("long sequence with a small W_hh: gradients vanish (T=30)", rnn(30, 2, 3, 4, 2, w_hh_scale=0.3, offset=4)),
    BPTTCheck("long sequence with a large W_hh: tanh saturates (T=30)", rnn(30, 2, 3, 4, 2, w_hh_scale=2.5, offset=5),
              rtol=1e-6),
]]
