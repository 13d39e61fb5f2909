"""Naming a mistake from the comparison itself.

Two sources, tried in order by every check kind:
1. the exercise's known wrong variants (its mutants): the one whose result the learner's
   matches, exactly or far more closely than it matches the reference;
2. generic diagnoses that any exercise gets for free, read off how the learner's output
   differs from the expected one: a shape off by one, the axes swapped, the wrong axis
   reduced, a constant factor or sign, a shift, a changed dtype, NaN where the reference is
   finite, the right values in the wrong order.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

GENERIC = {
    "generic.shape_off_by_one": "Your output is one element too long or too short along one axis. Look for an "
                                "off-by-one in a range, a slice or a size formula (n − k vs n − k + 1).",
    "generic.transposed": "Your output holds the right numbers in the wrong layout: it is the expected result with "
                          "its axes swapped. Check the order of the axes you index, multiply, reduce or return.",
    "generic.reshaped": "Your output has the right numbers in the right order but the wrong shape (flattened or "
                        "reshaped). Return the shape the task asks for.",
    "generic.keepdim": "Your output has the right values but keeps or drops a size-1 axis that the expected one "
                       "does not (keepdim=True vs False, or a missing squeeze/unsqueeze).",
    "generic.wrong_axis": "You reduce over the wrong axis: the output has the size of the axis that should have "
                          "been reduced. Check the dim= of your sum, mean or max.",
    "generic.normalised_wrong_axis": "Your output is normalised along the wrong axis: its values add up to the "
                                     "expected total along another axis than the expected one does (a dim= of "
                                     "a sum, max or mean that points at the batch instead of the features, or a "
                                     "hard-coded dim that is only right for 2-D inputs).",
    "generic.scaled": "Your output is the expected one times a constant factor: a constant is missing or extra "
                      "(a sum where a mean is wanted, a forgotten 1/n or 2, a wrong scale).",
    "generic.sign_flipped": "Your output has the opposite sign of the expected one: a minus sign is missing or extra.",
    "generic.offset": "Your output is the expected one shifted by a constant: an added or subtracted term is "
                      "missing or extra (a bias, a +1, a log of a constant).",
    "generic.permuted": "Your output holds the right values in the wrong order: the elements are shuffled "
                        "(an index, a sort or a gather picks them in the wrong order).",
    "generic.dtype_changed": "Your output's dtype differs from the one expected (for example float32 where the "
                             "input is float64). Keep the input's dtype: avoid hard-coded dtypes, .float() or "
                             "torch.tensor(...) around results.",
    "generic.input_mutated": "Your function changes a tensor it was given (an in-place operation such as x -= m, "
                             "x.add_(...) or x[...] = ...). The caller's inputs must stay as they were: build new "
                             "tensors instead.",
    "generic.same_object": "Your function returns the input tensor itself (or a view of it) where a new tensor is "
                           "required, so changing the result would change the caller's input. Return a new tensor.",
    "generic.nonfinite": "Your output has NaN or infinity where the expected values are finite: something overflows "
                         "or divides by zero (exp of a large number, log of 0, 0/0). Rewrite that step in a stable "
                         "form.",
    "generic.not_differentiable": "No gradient flows through your output: part of the computation leaves autograd "
                                  "(.detach(), .item(), .numpy(), torch.tensor(...) of a result, or an in-place "
                                  "write into a leaf).",
}


def generic_diagnosis(got: Any, expected: Any, inputs: dict | None = None) -> tuple[str, str] | None:
    """(diagnosis id, what shows it) for a wrong output, or None when no generic pattern fits."""
    if _is_number(got) and _is_number(expected):
        got, expected = np.asarray(float(got)), np.asarray(float(expected))
    if not (isinstance(got, np.ndarray) and isinstance(expected, np.ndarray)):
        return None
    if got.dtype.kind not in "biufc" or expected.dtype.kind not in "biufc":
        return None
    if got.shape != expected.shape:
        return _shape_diagnosis(got, expected, inputs or {})
    if got.dtype != expected.dtype:
        return "generic.dtype_changed", f"expected dtype {expected.dtype.name}, got {got.dtype.name}"
    return _value_diagnosis(got.astype(np.float64), expected.astype(np.float64))


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    with np.errstate(invalid="ignore", over="ignore"):
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-4, atol=1e-6, equal_nan=True))


def _shape_diagnosis(got, expected, inputs) -> tuple[str, str] | None:
    g, e = got.astype(np.float64), expected.astype(np.float64)
    if got.size == expected.size and got.size > 1:
        if got.ndim == expected.ndim and got.ndim <= 6:
            for perm in itertools.permutations(range(e.ndim)):
                if perm != tuple(range(e.ndim)) and e.transpose(perm).shape == g.shape and _close(g, e.transpose(perm)):
                    return "generic.transposed", f"your output equals the expected one with axes permuted {perm}"
        if _close(g.reshape(-1), e.reshape(-1)):
            if tuple(s for s in got.shape if s != 1) == tuple(s for s in expected.shape if s != 1):
                return "generic.keepdim", f"expected shape {tuple(expected.shape)}, got {tuple(got.shape)}"
            return "generic.reshaped", f"expected shape {tuple(expected.shape)}, got {tuple(got.shape)}"
    if got.ndim == expected.ndim:
        off = [i for i, (a, b) in enumerate(zip(got.shape, expected.shape)) if a != b]
        if len(off) == 1 and abs(got.shape[off[0]] - expected.shape[off[0]]) == 1:
            i = off[0]
            return "generic.shape_off_by_one", (f"axis {i} has {got.shape[i]} elements, expected "
                                                f"{expected.shape[i]}")
    for name, value in inputs.items():
        shape = value.get("__tensor__") if isinstance(value, dict) else getattr(value, "shape", None)
        if shape is None or len(shape) not in (expected.ndim + 1, expected.ndim):
            continue
        shape = tuple(shape)
        reduced = [i for i in range(len(shape)) if _drop(shape, i, expected.ndim) == tuple(expected.shape)]
        wrong = [j for j in range(len(shape)) if j not in reduced and _drop(shape, j, got.ndim) == tuple(got.shape)]
        if reduced and wrong:
            return "generic.wrong_axis", (f"the output should reduce axis {reduced[0]} of {name} (shape {shape}) but "
                                          f"yours reduces axis {wrong[0]}")
    return None


def _drop(shape: tuple, axis: int, ndim: int) -> tuple:
    """The shape after reducing `axis`, with keepdim when the result keeps every axis."""
    if ndim == len(shape):
        return shape[:axis] + (1,) + shape[axis + 1:]
    return shape[:axis] + shape[axis + 1:]


def _value_diagnosis(g: np.ndarray, e: np.ndarray) -> tuple[str, str] | None:
    if _close(g, e):
        return None
    finite = np.isfinite(e)
    if (finite & ~np.isfinite(g)).any():
        n = int((finite & ~np.isfinite(g)).sum())
        return "generic.nonfinite", f"{n} value{'s' * (n != 1)} NaN or infinite where the reference is finite"
    if not finite.all():
        return None
    if e.ndim >= 2 and e.shape[-1] == e.shape[-2] and _close(g, np.swapaxes(e, -1, -2)):
        return "generic.transposed", "your output equals the expected one with its last two axes swapped"
    normalised = _normalised_axes(g, e)
    if normalised:
        want, mine = normalised
        return "generic.normalised_wrong_axis", (f"the expected output sums to the same total along axis {want}; "
                                                 f"yours does along axis {mine} instead")
    scale = float(np.abs(e).max()) if e.size else 0.0
    if scale > 0:
        denom = float((e * e).sum())
        c = float((g * e).sum() / denom) if denom else 0.0
        # One number always fits a single wrong value by some factor; there only a simple
        # factor (2, 1/8, −1, the batch size) says something.
        if abs(c - 1) > 1e-3 and abs(c) > 1e-9 and _close(g, c * e) and (e.size > 1 or _simple(c)):
            if abs(c + 1) < 1e-3:
                return "generic.sign_flipped", "your output is exactly minus the expected one"
            return "generic.scaled", f"your output is {_ratio(c)} × the expected one"
    if e.size > 1:
        if _close(g, e):
            return None  # equal but for tolerance-level noise: no pattern to name (sorted, they would look "permuted")
        shift = g - e
        d = float(np.median(shift))
        if abs(d) > 1e-6 * max(1.0, scale) and np.allclose(shift, d, rtol=1e-4, atol=1e-6 * max(1.0, scale)):
            return "generic.offset", f"every value is off by {d:+.6g}"
        if _close(np.sort(g, axis=None), np.sort(e, axis=None)):
            return "generic.permuted", "your output has exactly the expected values, in another order"
    return None


def _constant_sums(a: np.ndarray, axis: int) -> float | None:
    """The one total every slice of `a` along `axis` adds up to, if they all agree."""
    sums = a.sum(axis=axis)
    total = float(np.median(sums)) if sums.size else 0.0
    if np.allclose(sums, total, rtol=1e-4, atol=1e-5 * max(1.0, abs(total))):
        return total
    return None


def _normalised_axes(g: np.ndarray, e: np.ndarray) -> tuple[int, int] | None:
    """(axis the expected output is normalised along, axis the learner's is) when they differ.

    Normalised means every slice along the axis sums to one shared, non-zero total (a softmax,
    a probability table, weights that add up to 1). A wrong dim= keeps that property on the
    wrong axis, which a random wrong answer essentially never has.
    """
    if e.ndim < 2 or e.size < 4:
        return None
    for i in range(e.ndim):
        total = _constant_sums(e, i)
        if total is None or abs(total) < 1e-6 or e.shape[i] < 2:
            continue
        if np.allclose(g.sum(axis=i), total, rtol=1e-4, atol=1e-5):
            continue
        for j in range(e.ndim):
            if j == i or _constant_sums(e, j) is not None:
                continue
            theirs = _constant_sums(g, j)
            if theirs is not None and abs(theirs - total) <= 1e-4 * max(1.0, abs(total)):
                return i, j
    return None


def _fraction(c: float) -> tuple[int, int] | None:
    """c as num/den with a small denominator, when it is one."""
    for den in range(1, 4097):
        num = round(c * den)
        if num != 0 and abs(c * den - num) < 1e-6 * max(1, abs(num)):
            return num, den
    return None


def _simple(c: float) -> bool:
    """A factor a slip produces: n or 1/n (a batch size, a mean for a sum), or a small fraction."""
    f = _fraction(c)
    if f is None:
        return False
    num, den = abs(f[0]), f[1]
    return den == 1 or num == 1 or (num <= 8 and den <= 8)


def _ratio(c: float) -> str:
    f = _fraction(c)
    if f is None:
        return f"{c:.6g}"
    num, den = f
    return str(num) if den == 1 else f"{num}/{den}"


# -- the known wrong variants -------------------------------------------------------------------

def flatten_numbers(value: Any) -> np.ndarray | None:
    """Every number of a plain result, in order, as one float vector (None if it holds none)."""
    parts: list[np.ndarray] = []

    def walk(v):
        if isinstance(v, np.ndarray):
            if v.dtype.kind in "biuf":
                parts.append(v.astype(np.float64).reshape(-1))
        elif isinstance(v, bool):
            parts.append(np.array([float(v)]))
        elif isinstance(v, (int, float)):
            parts.append(np.array([float(v)]))
        elif isinstance(v, dict):
            for key in v:
                walk(v[key])
        elif isinstance(v, (list, tuple)):
            for item in v:
                walk(item)

    walk(value)
    return np.concatenate(parts) if parts else None


def nearest_variant(got: Any, expected: Any, variants: dict[str, Any], *, ratio: float = 1e-3) -> str | None:
    """The variant whose result lies far closer to the learner's than the reference's does.

    Exact matching is too blunt for long trajectories: several misreadings of one formula can
    sit within 1e-4 of each other, while a restyled copy of one of them agrees with it to 1e-9.
    """
    mine, want = flatten_numbers(got), flatten_numbers(expected)
    if mine is None or want is None or mine.shape != want.shape or not mine.size:
        return None
    with np.errstate(invalid="ignore", over="ignore"):
        gap = np.abs(mine - want)
        if np.isnan(gap).all():
            return None
        off_reference = float(np.nanmax(gap))
        if not np.isfinite(off_reference) or off_reference == 0:
            return None
        best, best_distance = None, np.inf
        for diagnosis, result in variants.items():
            theirs = flatten_numbers(result)
            if theirs is None or theirs.shape != want.shape:
                continue
            distance = float(np.max(np.abs(mine - theirs)))
            if np.isfinite(distance) and distance < best_distance:
                best, best_distance = diagnosis, distance
    if best is not None and best_distance <= ratio * off_reference + 1e-12:
        return best
    return None
