"""engineering/int8_quantization: the error bound, a property of the learner's output alone."""

from __future__ import annotations

import numpy as np


def within_half_a_step(out, inputs):
    """|w − q·s| ≤ s/2 everywhere (rounding to the nearest step), with a little float slack."""
    q, scale = (np.asarray(part, dtype=np.float64) for part in out)
    w = np.asarray(inputs["w"], dtype=np.float64)
    s = scale.reshape(-1, *([1] * (w.ndim - 1))) if scale.ndim == 1 else scale
    return bool(np.all(np.abs(w - q * s) <= s / 2 * (1 + 1e-5) + 1e-12))


def uses_full_range(out, inputs):
    """The largest |q| of every channel is 127: the scale wastes none of the int8 range."""
    q = np.abs(np.asarray(out[0], dtype=np.int64))
    return bool(np.all(q.reshape(q.shape[0], -1).max(axis=1) == 127))
