"""Generic diagnoses: what the comparison itself says about a wrong output."""

import numpy as np
import pytest

from tutor.grader.diagnose import flatten_numbers, generic_diagnosis, nearest_variant

rng = np.random.default_rng(0)
E = rng.standard_normal((4, 6)).astype(np.float32)
X = rng.standard_normal((5, 7))


@pytest.mark.parametrize("got, expected, inputs, diagnosis", [
    (E[:, :5], E, None, "generic.shape_off_by_one"),
    (np.concatenate([E, E[:1]]), E, None, "generic.shape_off_by_one"),
    (E.T.copy(), E, None, "generic.transposed"),
    (E[:4, :4].T.copy(), E[:4, :4], None, "generic.transposed"),
    (E.reshape(-1), E, None, "generic.reshaped"),
    (E[:, None, :], E, None, "generic.keepdim"),
    (X.sum(axis=0), X.sum(axis=1), {"X": X}, "generic.wrong_axis"),
    (3 * E, E, None, "generic.scaled"),
    (E / 8, E, None, "generic.scaled"),
    (-E, E, None, "generic.sign_flipped"),
    (E + 0.5, E, None, "generic.offset"),
    (E.reshape(-1)[::-1].reshape(E.shape).copy(), E, None, "generic.permuted"),
    (E.astype(np.float64), E, None, "generic.dtype_changed"),
    (np.where(E > 1, np.inf, E), E, None, "generic.nonfinite"),
    (16.0, 2.0, None, "generic.scaled"),
])
def test_a_recognisable_mistake_is_named(got, expected, inputs, diagnosis):
    found = generic_diagnosis(got, expected, inputs)
    assert found is not None and found[0] == diagnosis, found
    assert found[1]  # and says what shows it


@pytest.mark.parametrize("got, expected", [
    (np.sin(E), E),  # simply wrong: nothing generic to say
    (1.2345, 2.0),  # one wrong number is not "scaled" by an odd factor
    (E, E),
    ("text", "other"),
])
def test_no_diagnosis_where_nothing_fits(got, expected):
    assert generic_diagnosis(got, expected) is None


def test_the_scale_is_shown_as_a_fraction():
    assert "1/8 × the expected" in generic_diagnosis(E / 8, E)[1]


def test_nearest_variant_prefers_the_far_closer_one():
    expected = {"trajectory": np.linspace(0, 1, 50)}
    variant_a = {"trajectory": expected["trajectory"] * 1.01}
    variant_b = {"trajectory": expected["trajectory"] * 1.011}
    mine = {"trajectory": variant_b["trajectory"] + 1e-9}
    assert nearest_variant(mine, expected, {"a": variant_a, "b": variant_b}) == "b"
    assert nearest_variant({"trajectory": expected["trajectory"] * 2}, expected, {"a": variant_a}) is None


def test_flatten_numbers_walks_nested_results():
    flat = flatten_numbers({"a": [1, 2.5], "b": {"c": np.ones(3)}, "d": "text", "e": True})
    assert flat.tolist() == [1.0, 2.5, 1.0, 1.0, 1.0, 1.0]


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


def _softmax(x, axis):
    z = np.exp(x - x.max(axis=axis, keepdims=True))
    return z / z.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("got", [
    _softmax(X, 0),  # columns sum to 1 instead of rows
    np.exp(X - X.max(axis=1, keepdims=True)) / np.exp(X - X.max(axis=1, keepdims=True)).sum(axis=0, keepdims=True),
])
def test_normalising_along_the_wrong_axis_is_named(got):
    found = generic_diagnosis(got, _softmax(X, 1))
    assert found == ("generic.normalised_wrong_axis",
                     "the expected output sums to the same total along axis 1; yours does along axis 0 instead")


def test_a_size_one_axis_normalised_by_a_hard_coded_dim_is_named():
    x3 = rng.standard_normal((2, 1, 5))
    found = generic_diagnosis(_softmax(x3, 1), _softmax(x3, 2))  # dim=1 on a 3-D input: all ones
    assert found is not None and found[0] == "generic.normalised_wrong_axis" and "axis 2" in found[1]


@pytest.mark.parametrize("got", [
    _softmax(2 * X, 1),  # wrong values, normalised along the right axis
    np.abs(X),  # wrong values, normalised along no axis
])
def test_the_wrong_axis_is_not_claimed_without_it(got):
    found = generic_diagnosis(got, _softmax(X, 1))
    assert found is None or found[0] != "generic.normalised_wrong_axis", found


def test_an_unnormalised_expected_output_never_gets_the_axis_diagnosis():
    assert generic_diagnosis(_softmax(X, 0), np.exp(X)) is None or \
        generic_diagnosis(_softmax(X, 0), np.exp(X))[0] != "generic.normalised_wrong_axis"
