"""The property library of declarative property checks: spec -> (description, predicate)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from tutor.engine import schema

Predicate = Callable[[Any, dict], bool]


def predicate(spec, functions: Any = None) -> tuple[str, Predicate]:
    if isinstance(spec, schema.SumsTo):
        return (f"sums to {spec.value:g} along axis {spec.axis}",
                lambda out, _: bool(np.abs(np.asarray(out, dtype=np.float64).sum(axis=spec.axis) - spec.value).max()
                                    <= spec.tol))
    if isinstance(spec, schema.Between):
        return (f"every value lies in [{spec.low:g}, {spec.high:g}]",
                lambda out, _: bool(((np.asarray(out) >= spec.low) & (np.asarray(out) <= spec.high)).all()))
    if isinstance(spec, schema.Finite):
        return "every value is finite (no NaN or infinity)", lambda out, _: bool(np.isfinite(np.asarray(out)).all())
    if isinstance(spec, schema.CloseTo):
        return (f"equals {spec.value:.6g} (within {spec.tol:g})",
                lambda out, _: bool(np.abs(np.asarray(out, dtype=np.float64) - spec.value).max() <= spec.tol))
    if isinstance(spec, schema.PythonInts):
        def ints(out, _):
            items = out if isinstance(out, list) else [out]
            return all(type(v) is int for v in items) and (spec.length is None or
                                                           (isinstance(out, list) and len(out) == spec.length))
        what = "a Python int" if spec.length is None else f"a tuple of {spec.length} Python ints"
        return what, ints
    if isinstance(spec, schema.CustomProperty):
        fn = getattr(functions, spec.function, None)
        if fn is None:
            raise LookupError(f"property {spec.text!r}: checks.py defines no function {spec.function!r}")
        return spec.text, fn
    raise TypeError(f"unknown property {type(spec).__name__}")
