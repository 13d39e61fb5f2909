"""Chapter 7: messages and diagnoses on hand-written wrong answers; the heavy checks compare
against the Numba kernels (not torch) and stop slow code with a message. (That every solution
passes and every mutant is caught is test_catalog_validates.py's job.)"""

from __future__ import annotations

import numpy as np
import torch

from tutor.grader.build import oracle_for
from tutor.grader.context import Context
from tutor.grader.reference import checks_module, load_checks, load_trusted_module


def test_chapter7_has_the_six_exercises_in_order(catalog):
    chapter = catalog.chapter("chapter7")
    assert [ex.id for ex in chapter.exercises][:6] == [
        "chapter7/corr2d", "chapter7/conv_output_shape", "chapter7/multi_in_out", "chapter7/conv2d",
        "chapter7/pool2d", "chapter7/lenet"]


def test_six_nested_loops_time_out_with_a_message_that_says_vectorise(validation):
    result = validation.result("chapter7/conv2d", "mutants/six_nested_loops.py")
    heavy = result.checks[-1]
    assert heavy.name.startswith("heavy")
    assert heavy.verdict == "timeout"
    assert "correct-looking but too slow" in heavy.message and "Vectorise" in heavy.message
    assert "15 s" in heavy.message
    assert all(c.verdict == "pass" for c in result.checks[:-1]), [(c.name, c.verdict) for c in result.checks]
    assert result.verdict == "timeout"


def test_corr2d_flipped_kernel_is_named_on_the_lesson_example(grade):
    source = ("import torch\n"
              "def corr2d(X, K):\n"
              "    K = K.flip(0).flip(1)\n"
              "    oh, ow = X.shape[0] - K.shape[0] + 1, X.shape[1] - K.shape[1] + 1\n"
              "    return torch.stack([torch.stack([(X[i:i + K.shape[0], j:j + K.shape[1]] * K).sum()\n"
              "                                     for j in range(ow)]) for i in range(oh)])\n")
    result = grade("chapter7/corr2d", source)
    first = result.checks[0]
    assert first.verdict == "fail" and first.diagnosis == "corr2d.flipped_kernel"
    assert "corr2d(tensor([[1., 2., 0., 1.]" in first.message
    assert "cross-correlation" in first.message


def test_corr2d_through_scipy_is_forbidden(grade):
    source = ("import torch\nfrom scipy.signal import correlate2d\n"
              "def corr2d(X, K):\n    return torch.from_numpy(correlate2d(X.numpy(), K.numpy(), mode='valid'))\n")
    assert grade("chapter7/corr2d", source).verdict == "forbidden"


def test_pool2d_zero_padding_in_another_style_is_still_recognised(grade):
    # Not the mutant's code: a loop that pads with zeros. Equal results name the same mistake.
    source = ("import torch\n"
              "def pool2d(X, pool_size, stride=None, padding=0, mode='max'):\n"
              "    k = pool_size if isinstance(pool_size, tuple) else (pool_size, pool_size)\n"
              "    s = k if stride is None else (stride if isinstance(stride, tuple) else (stride, stride))\n"
              "    p = padding if isinstance(padding, tuple) else (padding, padding)\n"
              "    N, C, H, W = X.shape\n"
              "    Xp = torch.zeros(N, C, H + 2 * p[0], W + 2 * p[1], dtype=X.dtype)\n"
              "    Xp[:, :, p[0]:p[0] + H, p[1]:p[1] + W] = X\n"
              "    oh, ow = (H + 2 * p[0] - k[0]) // s[0] + 1, (W + 2 * p[1] - k[1]) // s[1] + 1\n"
              "    Y = torch.zeros(N, C, oh, ow, dtype=X.dtype)\n"
              "    for i in range(oh):\n"
              "        for j in range(ow):\n"
              "            win = Xp[:, :, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]]\n"
              "            Y[:, :, i, j] = win.amax(dim=(2, 3)) if mode == 'max' else win.mean(dim=(2, 3))\n"
              "    return Y\n")
    result = grade("chapter7/pool2d", source)
    by_name = {c.name: c for c in result.checks}
    check = by_name["max pooling with padding=1 on negative inputs (padding must never win)"]
    assert check.verdict == "fail" and check.diagnosis == "pool2d.max_over_zero_padding"
    assert by_name["average pooling with padding=1 (the padding zeros are counted)"].verdict == "pass"


def test_conv_output_shape_floats_are_named(grade):
    source = ("def conv_output_shape(input_size, kernel_size, stride=1, padding=0):\n"
              "    n, k, s, p = [(v, v) if isinstance(v, int) else v for v in (input_size, kernel_size, stride, padding)]\n"
              "    if k[0] > n[0] + 2 * p[0] or k[1] > n[1] + 2 * p[1]:\n        raise ValueError('too big')\n"
              "    return tuple(float((n[i] + 2 * p[i] - k[i]) // s[i] + 1) for i in range(2))\n")
    result = grade("chapter7/conv_output_shape", source)
    assert result.verdict == "fail"
    assert "conv_output_shape.not_int" in {c.diagnosis for c in result.checks}


def test_heavy_expectations_come_from_the_numba_kernels_not_torch(monkeypatch, catalog):
    """The grader side of a heavy check never calls torch's convolution or pooling."""
    def refuse(*args, **kwargs):
        raise AssertionError("the heavy reference must not call torch")

    results = {}
    for exercise_id in ("chapter7/conv2d", "chapter7/pool2d"):
        ex = catalog.exercise(exercise_id)
        heavy = load_checks(ex)[-1]
        assert heavy.kind == "heavy" and heavy.match_variants is False
        assert heavy.oracle.startswith("kernel:")
        reference = load_trusted_module(ex.reference_path, "tutor_reference")
        oracle = oracle_for(heavy, ex.spec, reference, checks_module(ex))
        learner_side = heavy.run(reference, Context(seed=heavy.seed))
        with monkeypatch.context() as m:
            for name in ("conv2d", "max_pool2d", "avg_pool2d"):
                m.setattr(torch.nn.functional, name, refuse)
            m.setattr(torch, "conv2d", refuse)
            m.setattr(torch, "einsum", refuse)
            grader_side = heavy.run(oracle, Context(seed=heavy.seed, role="reference"))
        out = grader_side.get("out", grader_side)
        want = learner_side.get("out", learner_side)
        for key in (("max", "avg") if isinstance(out, dict) else (None,)):
            e, g = (out, want) if key is None else (out[key], want[key])
            assert isinstance(e, torch.Tensor)
            np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-4, atol=1e-4)
        results[exercise_id] = out
    assert tuple(results["chapter7/conv2d"].shape) == (8, 32, 64, 64)
    assert tuple(results["chapter7/pool2d"]["max"].shape) == (8, 16, 32, 32)


def test_timeout_message_is_a_check_option(catalog):
    ex = catalog.exercise("chapter7/conv2d")
    heavy = load_checks(ex)[-1]
    assert heavy.timeout_s == 15
    assert "too slow" in heavy.timeout_message
