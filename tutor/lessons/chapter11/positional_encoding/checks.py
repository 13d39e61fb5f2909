"""The unit-circle property of chapter11/positional_encoding."""

import numpy as np


def pairs_on_unit_circle(out, inputs) -> bool:
    P = np.asarray(out, dtype=np.float64)
    d = P.shape[-1] - P.shape[-1] % 2
    return bool(np.allclose(P[:, 0:d:2] ** 2 + P[:, 1:d:2] ** 2, 1.0, atol=1e-5))
