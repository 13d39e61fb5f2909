"""Checks of chapter5/xavier: the samplers' shapes, their statistics, and their use of the generator.

Random weights cannot be compared number by number with the reference (torch.randn and
normal_ draw differently from the same generator), so the scenarios measure what the task
promises: the shape, the mean, the variance and the shape of the distribution, on 60,000
entries. Every tolerance is six standard deviations of the statistic it bounds, computed below
from the sample size, so a correct sampler fails with probability below 1e-8 whatever its
random stream; the misprints are off by factors far beyond that.
"""

from __future__ import annotations

import math

import torch

from tutor.grader import kit

N_IN, N_OUT = 300, 200  # a 200×300 weight: 60,000 entries
SIGMAS = 6.0
P_BEYOND_2SIGMA = math.erfc(2 / math.sqrt(2))  # a normal's share beyond ±2σ: 0.0455


def std(n_in, n_out):
    return math.sqrt(2 / (n_in + n_out))


def bound(n_in, n_out):
    return math.sqrt(6 / (n_in + n_out))


def draw(module, name, n_in, n_out, seed):
    return kit.call(module, name, n_in, n_out, torch.Generator().manual_seed(seed))


def problem(w, n_in, n_out) -> str | None:
    """Why w is not a weight matrix for n_in → n_out at all, or None."""
    if not isinstance(w, torch.Tensor):
        return f"expected a tensor, got {type(w).__name__}"
    if tuple(w.shape) != (n_out, n_in):
        return f"expected shape ({n_out}, {n_in}) = (n_out, n_in), got {tuple(w.shape)}"
    if not w.is_floating_point():
        return f"expected a floating-point tensor, got dtype {str(w.dtype).removeprefix('torch.')}"
    return None


# -- shapes --------------------------------------------------------------------------------------

def shapes_run(module, ctx):
    out = {}
    for name in ("xavier_normal", "xavier_uniform"):
        w = draw(module, name, 3, 5, ctx.seed)
        out[name] = {"shape": list(w.shape) if isinstance(w, torch.Tensor) else None,
                     "dtype": str(w.dtype).removeprefix("torch.") if isinstance(w, torch.Tensor) else type(w).__name__}
    return out


def shapes_judge(got, expected, jc):
    for name, want in expected.items():
        have = got[name]
        if have == want:
            continue
        call = f"{name}(3, 5, generator)"
        if have["shape"] is None:
            return f"{call} returned a {have['dtype']}, expected a tensor"
        if have["shape"] == [3, 5]:
            return jc.fail(f"{call} returned shape (3, 5); the weight of a layer from 3 inputs to 5 outputs is (5, 3)",
                           "xavier.shape_in_out")
        return (f"{call}: expected shape {tuple(want['shape'])} and dtype {want['dtype']}, got shape "
                f"{tuple(have['shape'])} and dtype {have['dtype']}")
    return None


# -- statistics -------------------------------------------------------------------------------------

def normal_run(module, ctx):
    w = draw(module, "xavier_normal", N_IN, N_OUT, ctx.seed)
    why = problem(w, N_IN, N_OUT)
    if why:
        return {"problem": why, "n": None, "mean": None, "mean_square": None, "beyond_2sigma": None}
    w = w.detach().to(torch.float64)
    s = std(N_IN, N_OUT)
    return {"problem": None, "n": w.numel(), "mean": float(w.mean()), "mean_square": float((w * w).mean()),
            "beyond_2sigma": float((w.abs() > 2 * s).double().mean())}


def _misprint(measured_var, n_in, n_out, tol, candidates):
    """The diagnosis whose variance the measured one matches (within tol, relative), or None."""
    for diagnosis, var in candidates:
        if abs(measured_var / var - 1) <= tol:
            return diagnosis
    return None


def normal_judge(got, expected, jc):
    call = f"xavier_normal({N_IN}, {N_OUT}, generator)"
    if got["problem"]:
        return f"{call}: {got['problem']}"
    n, s = got["n"], std(N_IN, N_OUT)
    var_tol = SIGMAS * math.sqrt(2 / n)  # relative std of a normal's mean square: √(2/n)
    ratio = got["mean_square"] / s ** 2
    if abs(ratio - 1) > var_tol:
        measured = math.sqrt(max(got["mean_square"], 0.0))
        message = (f"{call}: the entries' standard deviation is {measured:.5g}, expected √(2/(n_in + n_out)) = "
                   f"√(2/{N_IN + N_OUT}) = {s:.5g} (the variance is off by a factor {ratio:.4g}; "
                   f"tolerance ±{var_tol:.3g}, "
                   f"six standard deviations of the estimate over {n:,} entries)")
        diagnosis = _misprint(got["mean_square"], N_IN, N_OUT, var_tol, [
            ("xavier.variance_as_std", (2 / (N_IN + N_OUT)) ** 2),
            ("xavier.fan_in_only", 1 / N_IN),
        ])
        return jc.fail(message, diagnosis)
    mean_tol = SIGMAS * s / math.sqrt(n)
    if abs(got["mean"]) > mean_tol:
        return f"{call}: the entries' mean is {got['mean']:.4g}, expected 0 (within ±{mean_tol:.3g})"
    p_tol = SIGMAS * math.sqrt(P_BEYOND_2SIGMA * (1 - P_BEYOND_2SIGMA) / n)
    if abs(got["beyond_2sigma"] - P_BEYOND_2SIGMA) > p_tol:
        return (f"{call}: {got['beyond_2sigma']:.2%} of the entries lie beyond ±2σ; a normal distribution puts "
                f"{P_BEYOND_2SIGMA:.2%} there (±{p_tol:.2%}). The variance is right, but the entries are not normal")
    return kit.Judgement("pass", f"std {math.sqrt(got['mean_square']):.5g} (expected {s:.5g}), mean {got['mean']:.2g}, "
                                 f"{got['beyond_2sigma']:.2%} beyond 2σ")


def uniform_run(module, ctx):
    w = draw(module, "xavier_uniform", N_IN, N_OUT, ctx.seed)
    why = problem(w, N_IN, N_OUT)
    if why:
        return {"problem": why, "n": None, "mean": None, "mean_square": None, "max_abs": None, "beyond_half": None}
    w = w.detach().to(torch.float64)
    a = bound(N_IN, N_OUT)
    return {"problem": None, "n": w.numel(), "mean": float(w.mean()), "mean_square": float((w * w).mean()),
            "max_abs": float(w.abs().max()), "beyond_half": float((w.abs() > a / 2).double().mean())}


def uniform_judge(got, expected, jc):
    call = f"xavier_uniform({N_IN}, {N_OUT}, generator)"
    if got["problem"]:
        return f"{call}: {got['problem']}"
    n, a = got["n"], bound(N_IN, N_OUT)
    # The largest of n uniform |w| falls below a·(1 − 40/n) with probability (1 − 40/n)ⁿ ≈ e⁻⁴⁰.
    low, high = a * (1 - 40 / n), a * (1 + 1e-6)
    top = got["max_abs"]
    if not low <= top <= high:
        message = (f"{call}: the largest |entry| is {top:.5g}; entries of U(−a, a) with a = √(6/(n_in + n_out)) = "
                   f"{a:.5g} reach up to a and never beyond")
        diagnosis = None
        for name, b in (("xavier.uniform_bound_is_std", std(N_IN, N_OUT)),
                        ("xavier.variance_as_std", math.sqrt(3) * 2 / (N_IN + N_OUT)),
                        ("xavier.fan_in_only", math.sqrt(3 / N_IN))):
            if b * (1 - 40 / n) <= top <= b * (1 + 1e-6):
                diagnosis = name
                break
        if diagnosis is None and top > high:
            message += " (are they drawn from a normal distribution?)"
        return jc.fail(message, diagnosis)
    var_tol = SIGMAS * math.sqrt(4 / 5) / math.sqrt(n)  # relative std of a uniform's mean square: √(4/5)/√n
    ratio = got["mean_square"] / (a * a / 3)
    if abs(ratio - 1) > var_tol:
        return (f"{call}: the entries' variance is {got['mean_square']:.5g}, expected a²/3 = 2/(n_in + n_out) = "
                f"{a * a / 3:.5g} (within ±{var_tol:.2%}): the entries stay inside ±a but are not spread uniformly")
    mean_tol = SIGMAS * (a / math.sqrt(3)) / math.sqrt(n)
    if abs(got["mean"]) > mean_tol:
        return f"{call}: the entries' mean is {got['mean']:.4g}, expected 0 (within ±{mean_tol:.3g})"
    half_tol = SIGMAS * 0.5 / math.sqrt(n)
    if abs(got["beyond_half"] - 0.5) > half_tol:
        return (f"{call}: {got['beyond_half']:.2%} of the entries have |w| > a/2; a uniform distribution puts half of "
                f"them there (±{half_tol:.2%})")
    return kit.Judgement("pass", f"largest |w| {top:.5g} (bound {a:.5g}), variance {got['mean_square']:.5g} "
                                 f"(expected {a * a / 3:.5g})")


# -- the generator -------------------------------------------------------------------------------------

def generator_run(module, ctx):
    out = {}
    for name in ("xavier_normal", "xavier_uniform"):
        first = draw(module, name, 4, 6, ctx.seed)
        again = draw(module, name, 4, 6, ctx.seed)
        other = draw(module, name, 4, 6, ctx.seed + 1)
        tensors = all(isinstance(t, torch.Tensor) for t in (first, again, other))
        same = tensors and first.shape == again.shape and bool(torch.equal(first, again))
        other_same = tensors and first.shape == other.shape and bool(torch.equal(first, other))
        out[name] = {"same_seed_equal": same, "other_seed_differs": tensors and not other_same}
    return out


def generator_judge(got, expected, jc):
    for name in expected:
        have = got[name]
        if not have["same_seed_equal"]:
            return jc.fail(f"{name}(4, 6, generator) twice, with generators seeded alike, gave different weights",
                           "xavier.ignores_generator")
        if not have["other_seed_differs"]:
            return jc.fail(f"{name}(4, 6, generator) with two differently seeded generators gave the same weights",
                           "xavier.ignores_generator")
    return None
