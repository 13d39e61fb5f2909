"""Comparison of plain results with per-dtype tolerances and messages that point at the difference."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

# torch.testing.assert_close's defaults, the baseline every value check starts from.
DEFAULT_TOLERANCES = {
    "float16": (1e-3, 1e-5),
    "bfloat16": (1.6e-2, 1e-5),
    "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7),
    "complex64": (1.3e-6, 1e-5),
    "complex128": (1e-7, 1e-7),
}
SMALL_ARRAY = 16


@dataclass
class Mismatch:
    message: str
    details: dict = field(default_factory=dict)


def tolerances(dtype: np.dtype | str, rtol: float | None = None, atol: float | None = None) -> tuple[float, float]:
    base = DEFAULT_TOLERANCES.get(np.dtype(dtype).name, (0.0, 0.0))
    return (base[0] if rtol is None else rtol, base[1] if atol is None else atol)


def fmt_array(a: Any, limit: int = SMALL_ARRAY) -> str:
    """A readable, short rendering: small arrays in full, large ones by shape and dtype."""
    if isinstance(a, np.ndarray):
        if a.size <= limit:
            body = np.array2string(a, precision=4, separator=", ", suppress_small=False, max_line_width=100)
            return f"tensor({' '.join(body.split())}, dtype={a.dtype.name})" if a.dtype.name != "float32" else f"tensor({' '.join(body.split())})"
        return f"<tensor of shape {tuple(a.shape)}, dtype {a.dtype.name}>"
    if isinstance(a, float):
        return f"{a:.6g}"
    if isinstance(a, (list, tuple)) and len(a) > limit:
        return f"<list of {len(a)} items>"
    if isinstance(a, dict) and "__unsupported__" in a:
        return f"<{a['__unsupported__']} object>"
    if isinstance(a, dict) and "__tensor__" in a:
        return f"<tensor of shape {tuple(a['__tensor__'])}, dtype {a.get('dtype')}>"
    return repr(a)


def describe_type(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"a tensor of shape {tuple(value.shape)} and dtype {value.dtype.name}"
    if isinstance(value, dict) and "__unsupported__" in value:
        return f"a {value['__unsupported__']} object"
    if value is None:
        return "None"
    return f"a {type(value).__name__}"


def compare_arrays(
    got: Any,
    expected: np.ndarray,
    *,
    what: str = "output",
    rtol: float | None = None,
    atol: float | None = None,
    check_dtype: bool = True,
) -> Mismatch | None:
    """None when `got` matches `expected` (a numpy array) in type, shape, dtype and values."""
    if not isinstance(got, np.ndarray):
        return Mismatch(f"{what}: expected a tensor of shape {tuple(expected.shape)}, got {describe_type(got)}")
    if got.shape != expected.shape:
        return Mismatch(
            f"{what}: expected shape {tuple(expected.shape)}, got {tuple(got.shape)}",
            {"expected_shape": list(expected.shape), "got_shape": list(got.shape)},
        )
    if check_dtype and got.dtype != expected.dtype:
        return Mismatch(f"{what}: expected dtype {expected.dtype.name}, got {got.dtype.name}")
    if expected.dtype.kind in "biu" and got.dtype.kind in "biu":
        bad = got != expected
        if not bad.any():
            return None
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        return Mismatch(
            f"{what}: {int(bad.sum())} of {bad.size} values differ; first at index {idx}: expected {expected[idx]}, got {got[idx]}",
            {"index": list(idx)},
        )
    rtol, atol = tolerances(expected.dtype, rtol, atol)
    e = expected.astype(np.complex128 if expected.dtype.kind == "c" else np.float64)
    g = got.astype(e.dtype)
    if e.ndim == 0:
        e, g = e.reshape(1), g.reshape(1)
    finite_e, finite_g = np.isfinite(e), np.isfinite(g)
    nonfinite = finite_e & ~finite_g
    if nonfinite.any():
        idx = np.unravel_index(int(np.argmax(nonfinite)), e.shape)
        idx_s = tuple(int(i) for i in idx) if expected.ndim else ()
        return Mismatch(
            f"{what}: {int(nonfinite.sum())} of {e.size} values are NaN or infinite where the reference is finite "
            f"(first at index {idx_s}: expected {e[idx]:.6g}, got {g[idx]})",
            {"index": list(idx_s), "nonfinite": int(nonfinite.sum())},
        )
    with np.errstate(invalid="ignore", over="ignore"):
        return _compare_values(e, g, expected, got, what, rtol, atol)


def _compare_values(e, g, expected, got, what, rtol, atol) -> Mismatch | None:
    finite_e = np.isfinite(e)
    same_special = ~finite_e & (np.isnan(e) == np.isnan(g)) & ((e == g) | np.isnan(e))
    diff = np.where(finite_e, np.abs(g - e), np.where(same_special, 0.0, np.inf))
    bad = diff > atol + rtol * np.abs(np.where(finite_e, e, 0))
    if not bad.any():
        return None
    flat = int(np.argmax(np.where(np.isfinite(diff), diff, np.finfo(np.float64).max)))
    idx = np.unravel_index(flat, e.shape)
    idx_s = tuple(int(i) for i in idx) if expected.ndim else ()
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(np.abs(e) > 0, diff / np.abs(e), np.where(diff > 0, np.inf, 0.0))
    rflat = int(np.argmax(np.where(np.isfinite(rel), rel, np.finfo(np.float64).max)))
    ridx = tuple(int(i) for i in np.unravel_index(rflat, e.shape)) if expected.ndim else ()
    max_abs, max_rel = float(diff.reshape(-1)[flat]), float(rel.reshape(-1)[rflat])
    return Mismatch(
        f"{what}: {int(bad.sum())} of {e.size} values differ; largest absolute difference {max_abs:.3g} at index "
        f"{idx_s} (expected {_num(e[idx])}, got {_num(g[idx])}); largest relative difference {max_rel:.3g} at "
        f"index {ridx} (rtol={rtol:g}, atol={atol:g})",
        {"max_abs_diff": max_abs, "max_abs_index": list(idx_s), "max_rel_diff": max_rel, "max_rel_index": list(ridx),
         "mismatched": int(bad.sum()), "total": int(e.size)},
    )


def _num(x) -> str:
    return f"{x:.6g}" if np.isrealobj(x) else str(x)


def compare_plain(got: Any, expected: Any, *, what: str = "result", rtol=None, atol=None, check_dtype=True) -> Mismatch | None:
    """Structural comparison of nested plain data (dicts, lists, arrays, numbers)."""
    if isinstance(expected, np.ndarray):
        return compare_arrays(got, expected, what=what, rtol=rtol, atol=atol, check_dtype=check_dtype)
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return Mismatch(f"{what}: expected a dict, got {describe_type(got)}")
        missing = [k for k in expected if k not in got]
        if missing:
            return Mismatch(f"{what}: missing key {missing[0]!r}")
        extra = [k for k in got if k not in expected]
        if extra:
            return Mismatch(f"{what}: unexpected key {extra[0]!r}")
        for key in expected:
            m = compare_plain(got[key], expected[key], what=f"{what}[{key!r}]", rtol=rtol, atol=atol, check_dtype=check_dtype)
            if m:
                return m
        return None
    if isinstance(expected, list):
        if not isinstance(got, list):
            return Mismatch(f"{what}: expected a list of {len(expected)} items, got {describe_type(got)}")
        if len(got) != len(expected):
            return Mismatch(f"{what}: expected {len(expected)} items, got {len(got)}")
        for i, (g, e) in enumerate(zip(got, expected)):
            m = compare_plain(g, e, what=f"{what}[{i}]", rtol=rtol, atol=atol, check_dtype=check_dtype)
            if m:
                return m
        return None
    if isinstance(expected, float) or (isinstance(expected, int) and isinstance(got, float)):
        if not isinstance(got, (int, float)) or isinstance(got, bool):
            return Mismatch(f"{what}: expected a number, got {describe_type(got)}")
        r, a = tolerances("float64", rtol, atol)
        if np.isnan(expected) and np.isnan(got):
            return None
        if not abs(got - expected) <= a + r * abs(expected):
            return Mismatch(f"{what}: expected {expected:.6g}, got {got:.6g} (difference {abs(got - expected):.3g})")
        return None
    if type(got) is not type(expected) or got != expected:
        return Mismatch(f"{what}: expected {fmt_array(expected)}, got {fmt_array(got)}")
    return None


def same_result(a: Any, b: Any, rtol: float = 1e-4, atol: float = 1e-6) -> bool:
    """Loose equality used to recognise a known wrong variant's output."""
    return compare_plain(a, b, rtol=rtol, atol=atol, check_dtype=True) is None


def structure_mismatch(got: Any, expected: Any, what: str = "result") -> str | None:
    """Where the learner's result does not have the expected *form* (a tensor where a tensor is
    due, the same dict keys, numbers where numbers are due), checked before any judge reads it.
    Values, list lengths and None (on either side) are the judge's business."""
    if expected is None or got is None:  # an absent value (a missing gradient) is the judge's to name
        return None
    if isinstance(expected, np.ndarray):
        return None if isinstance(got, np.ndarray) else f"{what}: expected a tensor, got {describe_type(got)}"
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"{what}: expected a dict, got {describe_type(got)}"
        for key in expected:
            if key not in got:
                return f"{what}: missing key {key!r}"
            problem = structure_mismatch(got[key], expected[key], f"{what}[{key!r}]")
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(got, list):
            return f"{what}: expected a list, got {describe_type(got)}"
        for i, (g, e) in enumerate(zip(got, expected)):
            problem = structure_mismatch(g, e, f"{what}[{i}]")
            if problem:
                return problem
        return None
    # A scalar where a scalar is due: its value is for the judge to weigh.
    if not isinstance(got, (dict, list, np.ndarray)):
        return None
    return f"{what}: expected {describe_type(expected)}, got {describe_type(got)}"
