"""Random cases shared by the CPU and the CUDA-simulator kernel tests, each with torch's answer."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


def conv_cases(rng: np.random.Generator, count: int, small: bool):
    """(x, w, b, stride, padding) with odd sizes that are not multiples of any block size."""
    cases = []
    for i in range(count):
        n, c, co = rng.integers(1, 3), rng.integers(1, 4), rng.integers(1, 4)
        h, w = (rng.integers(3, 8), rng.integers(3, 9)) if small else (rng.integers(5, 40), rng.integers(5, 41))
        kh, kw = rng.integers(1, min(h, 4) + 1), rng.integers(1, min(w, 4) + 1)
        stride = (int(rng.integers(1, 3)), int(rng.integers(1, 4))) if i % 2 else int(rng.integers(1, 3))
        padding = (int(rng.integers(0, 3)), int(rng.integers(0, 2))) if i % 3 else int(rng.integers(0, 2))
        dtype = np.float64 if i % 4 == 3 else np.float32
        x = rng.standard_normal((n, c, h, w)).astype(dtype)
        k = rng.standard_normal((co, c, kh, kw)).astype(dtype)
        b = rng.standard_normal(co).astype(dtype) if i % 2 == 0 else None
        cases.append((x, k, b, stride, padding))
    return cases


def torch_conv(x, k, b, stride, padding):
    return F.conv2d(torch.from_numpy(x), torch.from_numpy(k), None if b is None else torch.from_numpy(b),
                    stride=stride, padding=padding).numpy()


def pool_cases(rng: np.random.Generator, count: int, small: bool):
    cases = []
    for i in range(count):
        h, w = (rng.integers(3, 8), rng.integers(3, 9)) if small else (rng.integers(4, 37), rng.integers(4, 38))
        size = (int(rng.integers(1, 4)), int(rng.integers(2, 4))) if i % 2 else int(rng.integers(2, 4))
        kh, kw = size if isinstance(size, tuple) else (size, size)
        stride = None if i % 3 == 0 else (int(rng.integers(1, 3)), int(rng.integers(1, 3)))
        padding = (int(rng.integers(0, kh // 2 + 1)), int(rng.integers(0, kw // 2 + 1)))
        dtype = np.float64 if i % 4 == 3 else np.float32
        x = (rng.standard_normal((int(rng.integers(1, 3)), int(rng.integers(1, 4)), h, w)) - 1.5).astype(dtype)
        for mode in ("max", "avg"):
            cases.append((x, size, stride, padding, mode))
    return cases


def torch_pool(x, size, stride, padding, mode):
    fn = F.max_pool2d if mode == "max" else F.avg_pool2d
    return fn(torch.from_numpy(x), size, stride=stride, padding=padding).numpy()


def norm_inputs(rng, shape, dtype=np.float32):
    x = (rng.standard_normal(shape) * 3 + 1).astype(dtype)
    c = shape[1] if len(shape) > 1 else shape[0]
    return x, rng.standard_normal(c).astype(dtype), rng.standard_normal(c).astype(dtype)


def torch_batch_norm(x, gamma, beta, eps=1e-5):
    return F.batch_norm(torch.from_numpy(x), None, None, torch.from_numpy(gamma), torch.from_numpy(beta),
                        training=True, eps=eps).numpy()


def torch_layer_norm(x, gamma, beta, eps=1e-5):
    return F.layer_norm(torch.from_numpy(x), (x.shape[-1],), torch.from_numpy(gamma), torch.from_numpy(beta), eps).numpy()


def attention_inputs(rng, b, lq, lk, d, dv, dtype=np.float32):
    q = rng.standard_normal((b, lq, d)).astype(dtype)
    k = rng.standard_normal((b, lk, d)).astype(dtype)
    v = rng.standard_normal((b, lk, dv)).astype(dtype)
    valid = rng.integers(1, lk + 1, size=b)  # D2L's valid lengths: every row keeps >= 1 key
    mask = np.arange(lk)[None, None, :] < valid[:, None, None]
    mask = np.broadcast_to(mask, (b, lq, lk)).copy()
    return q, k, v, mask


def torch_attention(q, k, v, mask):
    return F.scaled_dot_product_attention(torch.from_numpy(q), torch.from_numpy(k), torch.from_numpy(v),
                                          attn_mask=None if mask is None else torch.from_numpy(mask)).numpy()


def rnn_inputs(rng, t, b, d, h, dtype=np.float32):
    return (rng.standard_normal((t, b, d)).astype(dtype), rng.standard_normal((b, h)).astype(dtype),
            (rng.standard_normal((d, h)) * 0.5).astype(dtype), (rng.standard_normal((h, h)) * 0.3).astype(dtype),
            rng.standard_normal(h).astype(dtype))


def torch_rnn(X, H0, W_xh, W_hh, b_h):
    """torch.nn.RNN with the same weights (it computes x Wᵀ, so the matrices are transposed in)."""
    X_t = torch.from_numpy(X)
    rnn = torch.nn.RNN(X.shape[2], H0.shape[1], nonlinearity="tanh").to(X_t.dtype)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(W_xh).T)
        rnn.weight_hh_l0.copy_(torch.from_numpy(W_hh).T)
        rnn.bias_ih_l0.copy_(torch.from_numpy(b_h))
        rnn.bias_hh_l0.zero_()
        out, _ = rnn(X_t, torch.from_numpy(H0)[None])
    return out.numpy()


def tol(dtype):
    return (1e-4, 1e-4) if np.dtype(dtype) == np.float32 else (1e-9, 1e-9)
