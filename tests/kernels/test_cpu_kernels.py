"""The @njit CPU kernels against torch on random shapes (sizes that are no multiple of anything)."""

from __future__ import annotations

import numpy as np
import pytest

import tutor.kernels as K
from . import cases as C


@pytest.fixture
def rng():
    return np.random.default_rng(7)


def close(got, expected):
    rtol, atol = C.tol(expected.dtype)
    assert got.shape == expected.shape
    assert got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol)


def test_conv2d_matches_torch(rng):
    for x, w, b, stride, padding in C.conv_cases(rng, 24, small=False):
        close(K.conv2d(x, w, b, stride, padding, backend="cpu"), C.torch_conv(x, w, b, stride, padding))


def test_conv2d_heavy_case(rng):
    x = rng.standard_normal((8, 16, 64, 64)).astype(np.float32)
    w = rng.standard_normal((32, 16, 3, 3)).astype(np.float32)
    b = rng.standard_normal(32).astype(np.float32)
    close(K.conv2d(x, w, b, backend="cpu"), C.torch_conv(x, w, b, 1, 0))
    close(K.conv2d(x, w, b, 2, 1, backend="cpu"), C.torch_conv(x, w, b, 2, 1))


def test_conv2d_stride1_paths(rng):
    """The flat-plane stride-1 kernels: 3×3 (two output channels per task, odd counts too) and other sizes."""
    for co, (kh, kw), padding, dtype in [(3, (3, 3), 1, np.float32), (1, (3, 3), 0, np.float64),
                                         (4, (3, 3), (2, 0), np.float32), (5, (5, 2), (2, 1), np.float32),
                                         (2, (1, 4), 0, np.float64), (3, (3, 3), 3, np.float32)]:
        x = rng.standard_normal((2, 3, 11, 13)).astype(dtype)
        w = rng.standard_normal((co, 3, kh, kw)).astype(dtype)
        b = rng.standard_normal(co).astype(dtype)
        close(K.conv2d(x, w, b, 1, padding, backend="cpu"), C.torch_conv(x, w, b, 1, padding))


def test_conv2d_accepts_torch_tensors():
    import torch

    x, w = torch.randn(1, 2, 5, 5), torch.randn(3, 2, 3, 3)
    close(K.conv2d(x, w, padding=1, backend="cpu"), C.torch_conv(x.numpy(), w.numpy(), None, 1, 1))


def test_pool2d_matches_torch(rng):
    for x, size, stride, padding, mode in C.pool_cases(rng, 16, small=False):
        close(K.pool2d(x, size, stride, padding, mode, backend="cpu"), C.torch_pool(x, size, stride, padding, mode))


def test_batch_norm_matches_torch_and_divides_by_the_standard_deviation(rng):
    for shape in [(7, 5), (3, 4, 5, 7), (2, 3, 9)]:
        x, g, b = C.norm_inputs(rng, shape)
        y, mean, var = K.batch_norm(x, g, b, return_stats=True, backend="cpu")
        close(y, C.torch_batch_norm(x, g, b))
        # y = γ·(x − μ)/√(σ² + ε) + β: the variance enters under a square root
        axes = tuple(i for i in range(x.ndim) if i != 1)
        np.testing.assert_allclose(var, x.astype(np.float64).var(axis=axes), rtol=1e-5)
        np.testing.assert_allclose(mean, x.astype(np.float64).mean(axis=axes), rtol=1e-5, atol=1e-6)


def test_layer_norm_matches_torch(rng):
    for shape in [(7, 5), (3, 4, 33), (2, 3, 4, 10)]:
        x = (rng.standard_normal(shape) * 2 + 3).astype(np.float32)
        g, b = rng.standard_normal(shape[-1]).astype(np.float32), rng.standard_normal(shape[-1]).astype(np.float32)
        close(K.layer_norm(x, g, b, backend="cpu"), C.torch_layer_norm(x, g, b))


def test_attention_matches_torch(rng):
    for b, lq, lk, d, dv in [(2, 5, 7, 4, 3), (3, 17, 33, 8, 5), (1, 1, 1, 2, 2)]:
        q, k, v, mask = C.attention_inputs(rng, b, lq, lk, d, dv)
        close(K.attention(q, k, v, mask, backend="cpu"), C.torch_attention(q, k, v, mask))
        close(K.attention(q, k, v, backend="cpu"), C.torch_attention(q, k, v, None))


def test_attention_fully_masked_row_is_zero(rng):
    q, k, v, mask = C.attention_inputs(rng, 1, 3, 4, 2, 2)
    mask[0, 1] = False
    out = K.attention(q, k, v, mask, backend="cpu")
    assert np.all(out[0, 1] == 0)


def test_rnn_forward_matches_torch(rng):
    for t, b, d, h in [(5, 3, 4, 6), (1, 1, 1, 1), (13, 2, 7, 33)]:
        for dtype in (np.float32, np.float64):
            args = C.rnn_inputs(rng, t, b, d, h, dtype)
            close(K.rnn_forward(*args, backend="cpu"), C.torch_rnn(*args))


def test_backend_choice(monkeypatch):
    monkeypatch.setenv("TUTOR_KERNELS_BACKEND", "cpu")
    assert K.choose_backend() == "cpu"
    assert K.choose_backend("cuda") == "cuda"
    with pytest.raises(ValueError):
        K.choose_backend("tpu")
