"""Detectors of chapter5/activations: an overflow named from the output alone.

The stability checks feed ±1000. Whatever formula overflowed (eˣ/(1 + eˣ), (e²ˣ − 1)/(e²ˣ + 1),
e⁻ˣ/(1 + e⁻ˣ)², …), the sign is the same: NaN or inf where the exact value is finite.
"""

from __future__ import annotations

import numpy as np


def _overflowed(got, expected) -> bool:
    out, want = got.get("out") if isinstance(got, dict) else None, expected.get("out")
    if not (isinstance(out, np.ndarray) and isinstance(want, np.ndarray) and out.shape == want.shape):
        return False
    if out.dtype.kind not in "fc":
        return False
    return bool((np.isfinite(want) & ~np.isfinite(out)).any())


def sigmoid_overflow(got, expected):
    return "activations.sigmoid_overflow" if _overflowed(got, expected) else None


def sigmoid_grad_overflow(got, expected):
    return "activations.sigmoid_grad_overflow" if _overflowed(got, expected) else None


def tanh_overflow(got, expected):
    return "activations.tanh_overflow" if _overflowed(got, expected) else None
