"""Generic diagnoses read off the comparison: each names what it sees, and nothing it does not."""

import numpy as np

from tutor.grader.diagnose import generic_diagnosis


def test_shuffled_values_are_named_permuted():
    e = np.arange(12, dtype=np.float32).reshape(3, 4)
    g = e.reshape(-1)[[3, 1, 2, 0, 4, 5, 6, 7, 8, 9, 11, 10]].reshape(3, 4)
    assert generic_diagnosis(g, e)[0] == "generic.permuted"


def test_tolerance_level_differences_are_not_called_permuted():
    # A tiny formula slip (ε outside a square root) moves every value by ~1e-5 relative: nothing
    # is out of order, and sorting both would make them look "shuffled".
    rng = np.random.default_rng(0)
    e = rng.standard_normal((4, 5))
    g = e * (1 + 1e-5 * rng.standard_normal((4, 5)))
    assert generic_diagnosis(g, e) is None
