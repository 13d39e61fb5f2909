"""Checks of chapter5/dropout: what a random mask must satisfy, measured on the learner's output.

The mask is random, and two correct implementations may draw it differently from the same
generator (rand > p, bernoulli(1 − p), uniform_ < 1 − p), so the training-mode scenarios do not
compare with the reference number by number. They check what the task promises about the
learner's own output: every entry is 0 or x/(1 − p); the share of zeros is p over many seeds;
the average over many draws is X; masks are independent entry by entry; the generator decides
the mask; the gradient is the mask divided by 1 − p. Every statistical tolerance is six
standard deviations of its statistic, computed from the sample size, so a correct dropout
fails with probability below 1e-8 whatever its random stream.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from tutor.grader import kit

SIGMAS = 6.0
F = "dropout"


def call(module, X, p, training=True, generator=None):
    return kit.call(module, F, X, p, training, generator)


def gen(seed):
    return torch.Generator().manual_seed(seed)


def _bad_output(out, X) -> str | None:
    if not isinstance(out, torch.Tensor):
        return f"expected a tensor, got {type(out).__name__}"
    if out.shape != X.shape:
        return f"expected shape {tuple(X.shape)}, got {tuple(out.shape)}"
    return None


# -- every entry is 0 or x / (1 − p), and X is left alone ---------------------------------------

VALUES_P = 0.3


def values_run(module, ctx):
    X = torch.rand(8, 5, 16, generator=ctx.generator(), dtype=torch.float64).float() + 0.5  # no zeros
    before = X.clone()
    out = call(module, X, VALUES_P, True, gen(ctx.seed))
    return {"x": before, "out": out if isinstance(out, torch.Tensor) else None,
            "problem": _bad_output(out, X), "mutated": not torch.equal(X, before)}


def values_judge(got, expected, jc):
    head = f"dropout(X, p={VALUES_P}, training=True, generator) for X of shape (8, 5, 16) with entries in [0.5, 1.5)"
    if got["problem"]:
        return f"{head}: {got['problem']}"
    x, out = got["x"], got["out"].astype("float64")
    if got["mutated"]:
        return jc.fail(f"{head}: X was changed in place by the call", "generic.input_mutated")
    kept = out != 0
    want = x / (1 - VALUES_P)
    bad = kept & (abs(out - want) > 1e-5 * abs(want))
    if not bad.any():
        return None
    i = tuple(int(k) for k in np.argwhere(bad)[0])
    ratio = float((out[kept] / x[kept]).mean())
    message = (f"{head}: a kept entry should be x/(1 − p) = x/{1 - VALUES_P:g}; at index {i} x = {x[i]:.5g}, so "
               f"{want[i]:.5g} (or 0 if dropped), got {out[i]:.5g}; your kept entries are x × {ratio:.4g} on average")
    for diagnosis, factor in (("dropout.not_inverted", 1.0), ("dropout.wrong_scale", 1 - VALUES_P),
                              ("dropout.wrong_scale", 1 / VALUES_P)):
        if abs(out[kept] / x[kept] - factor).max() < 1e-5 * factor:
            return jc.fail(message, diagnosis)
    return jc.fail(message)


# -- the share of zeros is p, entry by entry -----------------------------------------------------

RATE_PS = (0.2, 0.5, 0.8)
RATE_SEEDS, RATE_ROWS, RATE_COLS = 20, 20, 25  # 20 calls of 500 entries for each p


def rate_run(module, ctx):
    X = torch.ones(RATE_ROWS, RATE_COLS)
    out = {}
    for p in RATE_PS:
        zeros, rows_identical = [], []
        for s in range(RATE_SEEDS):
            y = call(module, X.clone(), p, True, gen(ctx.seed + 1000 * s))  # a copy: an in-place bug stays local
            if _bad_output(y, X):
                return {"problem": f"p={p}: {_bad_output(y, X)}", "rates": None}
            dropped = y == 0
            zeros.append(float(dropped.double().mean()))
            rows_identical.append(bool((dropped == dropped[0]).all()))
        out[str(p)] = {"zeros": zeros, "rows_identical": rows_identical}
    return {"problem": None, "rates": out}


def rate_judge(got, expected, jc):
    if got["problem"]:
        return f"dropout(torch.ones(20, 25), p, training=True, generator): {got['problem']}"
    n_call = RATE_ROWS * RATE_COLS
    for key, stats in got["rates"].items():
        p = float(key)
        head = f"dropout(torch.ones(20, 25), p={p:g}, training=True, generator) over {RATE_SEEDS} seeds"
        zeros = stats["zeros"]
        pooled = sum(zeros) / len(zeros)
        pooled_tol = SIGMAS * math.sqrt(p * (1 - p) / (n_call * len(zeros)))
        call_tol = SIGMAS * math.sqrt(p * (1 - p) / n_call)
        if all(z in (0.0, 1.0) for z in zeros):
            return jc.fail(f"{head}: every call dropped either every entry or none (shares of zeros "
                           f"{sorted(set(zeros))}); each entry needs its own coin", "dropout.one_coin")
        if all(stats["rows_identical"]):
            return jc.fail(f"{head}: in every call all 20 rows have the same entries dropped: the mask is drawn for "
                           f"one row and broadcast", "dropout.mask_broadcast")
        if abs(pooled - p) > pooled_tol:
            message = (f"{head}: {pooled:.2%} of the entries are zero, expected p = {p:.0%} (within ±{pooled_tol:.2%}, "
                       f"six standard deviations over {n_call * len(zeros):,} entries)")
            swapped = abs(pooled - (1 - p)) <= pooled_tol
            return jc.fail(message, "dropout.keep_drop_swapped" if swapped else None)
        worst = max(zeros, key=lambda z: abs(z - p))
        if abs(worst - p) > call_tol:
            return (f"{head}: one call dropped {worst:.2%} of its {n_call} entries, expected p = {p:.0%} "
                    f"(within ±{call_tol:.2%} for a single call)")
    return kit.Judgement("pass", "; ".join(
        f"p={float(k):g}: {sum(v['zeros']) / len(v['zeros']):.2%} zeros" for k, v in got["rates"].items()))


# -- the expectation is preserved -----------------------------------------------------------------

MEAN_P, MEAN_DRAWS = 0.25, 4000
MEAN_X = [-2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 3.0, 4.0]


def mean_run(module, ctx):
    X = torch.tensor(MEAN_X).expand(MEAN_DRAWS, len(MEAN_X)).contiguous()
    out = call(module, X, MEAN_P, True, gen(ctx.seed))
    problem = _bad_output(out, X)
    return {"problem": problem, "mean": None if problem else out.double().mean(dim=0)}


def mean_judge(got, expected, jc):
    head = (f"dropout(X, p={MEAN_P:g}, training=True, generator) on {MEAN_DRAWS:,} copies of X = "
            f"[{', '.join(f'{v:g}' for v in MEAN_X)}], averaged over the copies")
    if got["problem"]:
        return f"{head}: {got['problem']}"
    mean = got["mean"]
    spread = math.sqrt(MEAN_P / (1 - MEAN_P)) / math.sqrt(MEAN_DRAWS)  # std of the average, per unit of |x|
    for i, x in enumerate(MEAN_X):
        if abs(mean[i] - x) > SIGMAS * spread * abs(x):
            shown = ", ".join(f"{m:.3g}" for m in mean)
            ratio = float(sum(m * x for m, x in zip(mean, MEAN_X)) / sum(x * x for x in MEAN_X))
            message = (f"{head}: the average is [{shown}], expected X itself (entry {i}: {mean[i]:.4g} instead of {x:g}, "
                       f"tolerance ±{SIGMAS * spread * abs(x):.3g}); your outputs are X × {ratio:.3g} on average")
            diagnosis = None
            for name, factor in (("dropout.not_inverted", 1 - MEAN_P), ("dropout.wrong_scale", (1 - MEAN_P) ** 2),
                                 ("dropout.keep_drop_swapped", MEAN_P / (1 - MEAN_P))):
                if abs(ratio - factor) <= SIGMAS * spread:
                    diagnosis = name
                    break
            return jc.fail(message, diagnosis)
    return None


# -- the generator decides the mask -----------------------------------------------------------------

def generator_run(module, ctx):
    X = torch.ones(6, 10)
    a = call(module, X.clone(), 0.5, True, gen(ctx.seed))
    b = call(module, X.clone(), 0.5, True, gen(ctx.seed))
    c = call(module, X.clone(), 0.5, True, gen(ctx.seed + 1))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(ctx.seed)
        d = call(module, X.clone(), 0.5)
        torch.manual_seed(ctx.seed)
        e = call(module, X.clone(), 0.5)
        torch.manual_seed(ctx.seed + 1)
        f = call(module, X.clone(), 0.5)
    outs = (a, b, c, d, e, f)
    if any(_bad_output(t, X) for t in outs):
        return {"problem": next(_bad_output(t, X) for t in outs if _bad_output(t, X)), "flags": None}
    return {"problem": None, "flags": {
        "same_seed_same_mask": bool(torch.equal(a, b)), "other_seed_other_mask": not torch.equal(a, c),
        "global_same_seed_same_mask": bool(torch.equal(d, e)), "global_other_seed_other_mask": not torch.equal(d, f)}}


def generator_judge(got, expected, jc):
    head = "dropout(torch.ones(6, 10), 0.5, training=True, ...)"
    if got["problem"]:
        return f"{head}: {got['problem']}"
    flags = got["flags"]
    if not flags["same_seed_same_mask"]:
        return jc.fail(f"{head} twice with generators seeded alike dropped different entries",
                       "dropout.ignores_generator")
    if not flags["other_seed_other_mask"]:
        return jc.fail(f"{head} with two differently seeded generators dropped the same entries",
                       "dropout.ignores_generator")
    if not (flags["global_same_seed_same_mask"] and flags["global_other_seed_other_mask"]):
        return (f"{head} without a generator should draw from torch's global generator: after torch.manual_seed(s) "
                f"the same s must give the same mask and another s another mask")
    return None


# -- the gradient is the mask / (1 − p) ----------------------------------------------------------------

GRAD_P = 0.4


def gradient_run(module, ctx):
    g = ctx.generator()
    X = (torch.rand(5, 7, generator=g, dtype=torch.float64) + 0.5).requires_grad_(True)
    W = torch.randn(5, 7, generator=g, dtype=torch.float64)
    out = call(module, X, GRAD_P, True, gen(ctx.seed))
    problem = _bad_output(out, X)
    if problem:
        return {"problem": problem, "dtype": None, "out": None, "grad": None, "w": None}
    dtype = str(out.dtype).removeprefix("torch.")
    grad = None
    if out.requires_grad:
        (out * W).sum().backward()
        grad = X.grad
    return {"problem": None, "dtype": dtype, "out": out.detach(), "grad": grad, "w": W}


def gradient_judge(got, expected, jc):
    head = f"dropout(X, p={GRAD_P}, training=True, generator) for a float64 X of shape (5, 7)"
    if got["problem"]:
        return f"{head}: {got['problem']}"
    if got["dtype"] != "float64":
        return jc.fail(f"{head}: the output's dtype is {got['dtype']}, expected float64", "generic.dtype_changed")
    if got["grad"] is None:
        return jc.fail(f"{head}: the output carries no gradient back to X", "generic.not_differentiable")
    kept = got["out"] != 0
    want = got["w"] * kept / (1 - GRAD_P)
    mismatch = kit.compare_plain(got["grad"], want, what="the gradient of sum(dropout(X) · W) with respect to X "
                                                         "(expected W · mask / (1 − p))", rtol=1e-10, atol=1e-12)
    if mismatch is None:
        return None
    factor = got["grad"][kept] / got["w"][kept]  # what the kept entries were multiplied by
    for diagnosis, f in (("dropout.not_inverted", 1.0), ("dropout.wrong_scale", 1 - GRAD_P),
                         ("dropout.wrong_scale", 1 / GRAD_P)):
        if kept.any() and abs(factor - f).max() < 1e-9:
            return jc.fail(mismatch.message, diagnosis, mismatch.details)
    return mismatch
