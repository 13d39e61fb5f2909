import numpy as np
import pytest
import torch

from tutor.engine.codec import CodecError, decode, dumps, loads, to_plain
from tutor.grader.compare import compare_arrays, compare_plain, same_result, tolerances


def test_tolerances_follow_assert_close_defaults():
    assert tolerances("float32") == (1.3e-6, 1e-5)
    assert tolerances("float64") == (1e-7, 1e-7)
    assert tolerances("float32", rtol=0.1) == (0.1, 1e-5)


def test_mismatch_reports_largest_difference_and_position():
    expected = np.array([[0.0, 1.0], [2.0, 3.0]], dtype=np.float32)
    got = expected.copy()
    got[1, 0] = 2.5
    m = compare_arrays(got, expected)
    assert "1 of 4 values differ" in m.message
    assert "largest absolute difference 0.5 at index (1, 0)" in m.message
    assert "expected 2, got 2.5" in m.message
    assert m.details["max_abs_index"] == [1, 0]


def test_shape_dtype_type_and_nan_are_named():
    e = np.zeros((2, 3), dtype=np.float32)
    assert "expected shape (2, 3), got (3, 2)" in compare_arrays(np.zeros((3, 2), np.float32), e).message
    assert "expected dtype float32, got float64" in compare_arrays(np.zeros((2, 3)), e).message
    assert "got a list" in compare_arrays([0, 0], e).message
    bad = e.copy()
    bad[0, 1] = np.nan
    assert "NaN or infinite where the reference is finite" in compare_arrays(bad, e).message
    assert compare_arrays(e.copy(), e) is None


def test_matching_nans_and_infs_are_equal():
    e = np.array([np.nan, np.inf, 1.0])
    assert compare_arrays(e.copy(), e) is None
    assert compare_arrays(np.array([np.nan, -np.inf, 1.0]), e) is not None


def test_nested_plain_comparison():
    e = {"a": [1.0, np.ones(2)], "b": "x"}
    assert compare_plain({"a": [1.0, np.ones(2)], "b": "x"}, e) is None
    assert "missing key 'b'" in compare_plain({"a": [1.0, np.ones(2)]}, e).message
    assert "result['a'][0]: expected 1, got 2" in compare_plain({"a": [2.0, np.ones(2)], "b": "x"}, e).message
    assert same_result(np.ones(2), np.ones(2) + 1e-9)
    assert not same_result(np.ones(2, np.float32), np.ones(2, np.float64))


def test_codec_round_trip_is_plain():
    value = {"t": torch.arange(6, dtype=torch.float64).reshape(2, 3), "n": [1, 2.5, float("nan"), None, "s", True],
             "b": torch.tensor([True, False]), "i": torch.tensor(3)}
    back = loads(dumps(to_plain(value)))
    assert isinstance(back["t"], np.ndarray) and back["t"].dtype == np.float64 and back["t"].shape == (2, 3)
    assert back["b"].dtype == np.bool_ and back["i"].shape == ()
    assert back["n"][0] == 1 and np.isnan(back["n"][2]) and back["n"][3] is None


def test_objects_that_lie_become_markers():
    class Liar:
        def __eq__(self, other):
            return True

    assert to_plain(Liar()) == {"__unsupported__": "test_objects_that_lie_become_markers.<locals>.Liar"}


def test_tensor_subclass_cannot_intercept_conversion():
    class Sneaky(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return torch.zeros(3)

    out = to_plain(torch.tensor([1.0, 2.0, 3.0]).as_subclass(Sneaky))
    assert out.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("forged", [
    {"__array__": "object", "shape": [1], "data": ""},
    {"__array__": "float32", "shape": [5], "data": "AAAAAA=="},
])
def test_decode_rejects_forged_arrays(forged):
    with pytest.raises(CodecError):
        decode(forged)


@pytest.mark.parametrize("forged", [
    {"__array__": "float64", "shape": [10**20], "data": ""},  # OverflowError in a product, once
    {"__array__": "float64", "shape": [2]},  # KeyError, once
    {"__array__": "float64", "shape": [1], "data": "not base64!"},
    {"__array__": "float64", "shape": [-1], "data": ""},
    {"__array__": "float64", "shape": "2", "data": ""},
    {"__array__": ["float64"], "shape": [1], "data": ""},
    {"__array__": "float64", "shape": [True], "data": "AAAAAAAAAAA="},
    {"__array__": "float64", "shape": [1], "data": "AAAAAAAAAAA=", "extra": 1},
    {"__float__": "1e308"},
    {"__dict__": [1, 2]},
    [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
])
def test_decode_refuses_every_malformed_marker_with_one_error(forged):
    with pytest.raises(CodecError):
        decode(forged)


def test_a_learners_dict_that_looks_like_a_marker_stays_a_dict():
    sneaky = {"__array__": "float64", "shape": [10**20], "data": ""}
    assert loads(dumps(to_plain({"out": sneaky}))) == {"out": sneaky}
    assert loads(dumps({"__float__": "nan"})) == {"__float__": "nan"}
