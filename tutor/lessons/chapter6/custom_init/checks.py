"""Checks of chapter6/custom_init: the learner's init_weights applied with nn.Module.apply.

The checks build small networks, seed torch's global generator (the one the initialisation
draws from) and call net.apply(init_weights). Random values are not compared one by one with
the reference's; the checks test what the rule promises: every weight is 0 or has |w| in [5, 10],
biases are 0, only nn.Linear layers change, the Parameter objects stay in place, the share of
zeros and the spread of the kept values match U(−10, 10) cut at ±5 (tolerances of six standard
deviations, computed from the sample size), and the same seed gives the same network.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from tutor.grader import kit

SIGMAS = 6.0


def apply_init(module, net, seed) -> str | None:
    """net.apply(init_weights) under a seed; the in-place-on-a-leaf error as text, or None."""
    fn = kit.function(module, "init_weights")
    with kit.seeded(seed):
        try:
            net.apply(fn)
        except RuntimeError as exc:
            if "leaf Variable" in str(exc) or "requires grad" in str(exc):
                return str(exc).split("\n")[0]
            raise
    return None


def weight_summary(w):
    w = w.detach().double()
    nonzero = w[w != 0].abs()
    return {"n": w.numel(), "zeros": int((w == 0).sum()),
            "smallest_kept": float(nonzero.min()) if nonzero.numel() else None,
            "largest": float(w.abs().max()), "positive": int((w > 0).sum())}


# -- 1. the rule on the lesson's network ---------------------------------------------------------------

def example_run(module, ctx):
    with kit.seeded(ctx.seed):
        net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    error = apply_init(module, net, ctx.seed + 1)
    layers = [{"weight": weight_summary(net[i].weight), "bias_zero": bool((net[i].bias == 0).all())} for i in (0, 2)]
    return {"error": error, "layers": layers}


def _no_grad(got, jc, head):
    return jc.fail(f"{head}: init_weights raised RuntimeError: {got['error']}", "custom_init.no_grad")


def example_judge(got, expected, jc):
    head = "Sequential(Linear(4, 8), ReLU(), Linear(8, 3)).apply(init_weights)"
    if got["error"]:
        return _no_grad(got, jc, head)
    for i, layer in zip((0, 2), got["layers"]):
        w = layer["weight"]
        name = f"layer {i}"
        if w["largest"] > 10 + 1e-6:
            return f"{head}: {name} has a weight of magnitude {w['largest']:.4g}; draws come from U(−10, 10)"
        kept = w["smallest_kept"]
        if kept is not None and kept < 5:
            if w["zeros"] == 0:
                return jc.fail(f"{head}: {name} has no zero weights and weights as small as {kept:.3g}",
                               "custom_init.no_zeroing")
            if w["largest"] < 5:
                return jc.fail(f"{head}: {name} keeps only weights with |w| < 5 (largest {w['largest']:.3g})",
                               "custom_init.mask_inverted")
            return f"{head}: {name} keeps a weight of magnitude {kept:.3g}; every |w| < 5 must become 0"
        if not layer["bias_zero"]:
            return jc.fail(f"{head}: {name}'s bias is not all zeros", "custom_init.bias_not_zero")
    return None


# -- 2. only nn.Linear changes, in place ------------------------------------------------------------

def only_linear_run(module, ctx):
    with kit.seeded(ctx.seed):
        net = nn.Sequential(nn.Linear(6, 6), nn.LayerNorm(6), nn.ReLU(),
                            nn.Sequential(nn.Linear(6, 4, bias=False), nn.Tanh()), nn.Linear(4, 2))
        with torch.no_grad():
            net[1].weight.uniform_(0.5, 1.5)  # not the default ones, so an overwrite shows
            net[1].bias.uniform_(-0.5, 0.5)
    before = {name: (p, p.detach().clone()) for name, p in net.named_parameters()}
    error = apply_init(module, net, ctx.seed + 1)
    after = dict(net.named_parameters())
    linears = {"0": net[0], "3.0": net[3][0], "4": net[4]}
    return {
        "error": error,
        "replaced": sorted(name for name, (p, _) in before.items() if after.get(name) is not p),
        "layernorm_changed": [name for name in ("1.weight", "1.bias")
                              if not torch.equal(after[name].detach(), before[name][1])],
        "linear_weights": {name: weight_summary(m.weight) for name, m in linears.items()},
        "not_trainable": sorted(name for name, p in after.items()
                                if not (p.requires_grad and p.is_leaf and p.grad_fn is None)),
    }


def only_linear_judge(got, expected, jc):
    head = ("net = Sequential(Linear(6, 6), LayerNorm(6), ReLU(), Sequential(Linear(6, 4, bias=False), Tanh()), "
            "Linear(4, 2)); net.apply(init_weights)")
    if got["error"]:
        return _no_grad(got, jc, head)
    if got["replaced"]:
        return jc.fail(f"{head}: {', '.join(got['replaced'])} {'is' if len(got['replaced']) == 1 else 'are'} now a "
                       f"different Parameter object than before", "custom_init.replaced_parameter")
    if got["layernorm_changed"]:
        return jc.fail(f"{head}: the LayerNorm's {' and '.join(got['layernorm_changed'])} changed; only nn.Linear layers "
                       f"are to be initialised", "custom_init.not_only_linear")
    if got["not_trainable"]:
        return (f"{head}: {', '.join(got['not_trainable'])} no longer a trainable leaf (requires_grad=True, no "
                f"grad_fn): initialise in place under torch.no_grad()")
    for name, w in got["linear_weights"].items():
        kept = w["smallest_kept"]
        if w["zeros"] == 0 or (kept is not None and kept < 5) or w["largest"] > 10 + 1e-6:
            return (f"{head}: the Linear at net[{name.replace('.', '][')}] was not initialised by the rule (its weights "
                    f"include {'no zeros' if w['zeros'] == 0 else f'a magnitude of {kept:.3g}'}): apply visits nested "
                    f"modules too, and each nn.Linear must be initialised")
    return None


# -- 3. the statistics of the rule -----------------------------------------------------------------

N_IN, N_OUT = 300, 200


def statistics_run(module, ctx):
    with kit.seeded(ctx.seed):
        net = nn.Sequential(nn.Linear(N_IN, N_OUT))
    error = apply_init(module, net, ctx.seed + 1)
    w = net[0].weight.detach().double()
    kept = w[w != 0].abs()
    summary = weight_summary(w)
    summary["kept_mean"] = float(kept.mean()) if kept.numel() else None
    return {"error": error, "weight": summary}


def statistics_judge(got, expected, jc):
    head = f"Linear({N_IN}, {N_OUT}).apply(init_weights)"
    if got["error"]:
        return _no_grad(got, jc, head)
    w = got["weight"]
    n, zeros = w["n"], w["zeros"]
    zero_tol = SIGMAS * math.sqrt(0.25 / n)
    share = zeros / n
    if abs(share - 0.5) > zero_tol:
        diagnosis = "custom_init.no_zeroing" if zeros == 0 else None
        return jc.fail(f"{head}: {share:.2%} of the {n:,} weights are 0; U(−10, 10) puts half of them inside (−5, 5), "
                       f"so 50% (±{zero_tol:.2%}) should be", diagnosis)
    kept = n - zeros
    if w["smallest_kept"] < 5 or w["largest"] > 10 + 1e-6:
        return (f"{head}: the kept weights should have 5 ≤ |w| ≤ 10; they range over {w['smallest_kept']:.3g} … "
                f"{w['largest']:.3g}")
    mean_tol = SIGMAS * (5 / math.sqrt(12)) / math.sqrt(kept)  # |w| of a kept weight is U(5, 10)
    if abs(w["kept_mean"] - 7.5) > mean_tol:
        return (f"{head}: the kept weights' mean magnitude is {w['kept_mean']:.4g}; uniform on [5, 10] it is 7.5 "
                f"(±{mean_tol:.3g})")
    sign_tol = SIGMAS * 0.5 / math.sqrt(kept)
    if abs(w["positive"] / kept - 0.5) > sign_tol:
        return f"{head}: {w['positive'] / kept:.2%} of the kept weights are positive; half should be (±{sign_tol:.2%})"
    return kit.Judgement("pass", f"{share:.2%} zeros, kept magnitudes from {w['smallest_kept']:.3f} to "
                                 f"{w['largest']:.3f}, mean {w['kept_mean']:.3f}")


# -- 4. torch's global generator decides ----------------------------------------------------------------

def seed_run(module, ctx):
    weights = []
    for seed in (ctx.seed, ctx.seed, ctx.seed + 1):
        with kit.seeded(ctx.seed):
            net = nn.Sequential(nn.Linear(5, 7))
        error = apply_init(module, net, seed)
        if error:
            return {"error": error, "same_seed_same_net": None, "other_seed_other_net": None}
        weights.append(net[0].weight.detach().clone())
    return {"error": None, "same_seed_same_net": bool(torch.equal(weights[0], weights[1])),
            "other_seed_other_net": not torch.equal(weights[0], weights[2])}


def seed_judge(got, expected, jc):
    head = "Linear(5, 7).apply(init_weights) after torch.manual_seed(s)"
    if got["error"]:
        return _no_grad(got, jc, head)
    if not got["same_seed_same_net"]:
        return (f"{head}, twice with the same s, gave different weights: draw from torch's global generator "
                f"(uniform_, torch.rand), not from Python's random or numpy")
    if not got["other_seed_other_net"]:
        return f"{head} gave the same weights for two different seeds: draw them from torch's global generator"
    return None
