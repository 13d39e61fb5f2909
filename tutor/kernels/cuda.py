"""GPU reference kernels with `numba.cuda`, defined at module level.

Each kernel uses a grid-stride loop over its outputs, so any size works with any launch
configuration (sizes need not be multiples of the block size). The host wrappers copy the
inputs to the device, launch, and copy the result back. Without a GPU the same kernels run
on numba's CUDA simulator when NUMBA_ENABLE_CUDASIM=1 is set before numba.cuda is first
imported (the tests do so in a subprocess, on tiny inputs: the simulator is slow).
"""

from __future__ import annotations

import math

import numpy as np
from numba import cuda

THREADS = 128
MAX_BLOCKS = 1024


def _blocks(n: int, threads: int = THREADS) -> int:
    return max(1, min(MAX_BLOCKS, (n + threads - 1) // threads))


@cuda.jit
def conv2d_cuda(x, w, b, sh, sw, ph, pw, out):
    N, C, H, W = x.shape
    CO, _, KH, KW = w.shape
    OH, OW = out.shape[2], out.shape[3]
    total = N * CO * OH * OW
    start = cuda.grid(1)
    step = cuda.gridsize(1)
    for idx in range(start, total, step):
        ow = idx % OW
        rest = idx // OW
        oh = rest % OH
        rest = rest // OH
        co = rest % CO
        n = rest // CO
        s = b[co]
        for ci in range(C):
            for ki in range(KH):
                ih = oh * sh + ki - ph
                if ih < 0 or ih >= H:
                    continue
                for kj in range(KW):
                    iw = ow * sw + kj - pw
                    if iw >= 0 and iw < W:
                        s += w[co, ci, ki, kj] * x[n, ci, ih, iw]
        out[n, co, oh, ow] = s


@cuda.jit
def pool2d_cuda(x, kh, kw, sh, sw, ph, pw, is_max, out):
    N, C, H, W = x.shape
    OH, OW = out.shape[2], out.shape[3]
    total = N * C * OH * OW
    start = cuda.grid(1)
    step = cuda.gridsize(1)
    for idx in range(start, total, step):
        ow = idx % OW
        rest = idx // OW
        oh = rest % OH
        rest = rest // OH
        c = rest % C
        n = rest // C
        best = -math.inf
        s = 0.0
        for ki in range(kh):
            ih = oh * sh + ki - ph
            if ih < 0 or ih >= H:
                continue
            for kj in range(kw):
                iw = ow * sw + kj - pw
                if iw < 0 or iw >= W:
                    continue
                v = x[n, c, ih, iw]
                s += v
                if v > best or v != v:
                    best = v
        if is_max:
            out[n, c, oh, ow] = best
        else:
            out[n, c, oh, ow] = s / (kh * kw)


@cuda.jit
def channel_stats_cuda(x, mean, var):
    """x (N, C, L): one thread per channel (a reference, not a tuned reduction)."""
    N, C, L = x.shape
    start = cuda.grid(1)
    step = cuda.gridsize(1)
    for c in range(start, C, step):
        s = 0.0
        for n in range(N):
            for i in range(L):
                s += x[n, c, i]
        mu = s / (N * L)
        q = 0.0
        for n in range(N):
            for i in range(L):
                d = x[n, c, i] - mu
                q += d * d
        mean[c] = mu
        var[c] = q / (N * L)


@cuda.jit
def batch_norm_apply_cuda(x, gamma, beta, mean, var, eps, out):
    N, C, L = x.shape
    total = N * C * L
    start = cuda.grid(1)
    step = cuda.gridsize(1)
    for idx in range(start, total, step):
        i = idx % L
        rest = idx // L
        c = rest % C
        n = rest // C
        out[n, c, i] = (x[n, c, i] - mean[c]) / math.sqrt(var[c] + eps) * gamma[c] + beta[c]


@cuda.jit
def row_stats_cuda(x, mean, inv_std, eps):
    M, D = x.shape
    start = cuda.grid(1)
    step = cuda.gridsize(1)
    for r in range(start, M, step):
        s = 0.0
        for j in range(D):
            s += x[r, j]
        mu = s / D
        q = 0.0
        for j in range(D):
            d = x[r, j] - mu
            q += d * d
        mean[r] = mu
        inv_std[r] = 1.0 / math.sqrt(q / D + eps)


@cuda.jit
def layer_norm_apply_cuda(x, gamma, beta, mean, inv_std, out):
    M, D = x.shape
    start = cuda.grid(1)
    step = cuda.gridsize(1)
    for idx in range(start, M * D, step):
        j = idx % D
        r = idx // D
        out[r, j] = (x[r, j] - mean[r]) * inv_std[r] * gamma[j] + beta[j]


@cuda.jit
def attention_cuda(q, k, v, mask, scale, out):
    """One thread per query row: max, normaliser, then the weighted sum of values."""
    B, LQ, D = q.shape
    LK = k.shape[1]
    DV = v.shape[2]
    start = cuda.grid(1)
    step = cuda.gridsize(1)
    for job in range(start, B * LQ, step):
        b = job // LQ
        i = job % LQ
        m = -math.inf
        for j in range(LK):
            if mask[b, i, j]:
                s = 0.0
                for d in range(D):
                    s += q[b, i, d] * k[b, j, d]
                s *= scale
                if s > m:
                    m = s
        for e in range(DV):
            out[b, i, e] = 0.0
        if m == -math.inf:
            continue
        total = 0.0
        for j in range(LK):
            if mask[b, i, j]:
                s = 0.0
                for d in range(D):
                    s += q[b, i, d] * k[b, j, d]
                p = math.exp(s * scale - m)
                total += p
                for e in range(DV):
                    out[b, i, e] += p * v[b, j, e]
        for e in range(DV):
            out[b, i, e] = out[b, i, e] / total


@cuda.jit
def rnn_step_cuda(x_t, h_prev, w_xh, w_hh, b_h, h_next):
    B, D = x_t.shape
    HD = h_prev.shape[1]
    start = cuda.grid(1)
    step = cuda.gridsize(1)
    for idx in range(start, B * HD, step):
        j = idx % HD
        bi = idx // HD
        s = b_h[j]
        for d in range(D):
            s += x_t[bi, d] * w_xh[d, j]
        for kk in range(HD):
            s += h_prev[bi, kk] * w_hh[kk, j]
        h_next[bi, j] = math.tanh(s)


# -- host wrappers: plain numpy in, numpy out ------------------------------------------------


def conv2d(x, w, b, stride, padding, out_shape, threads=THREADS):
    out = cuda.device_array(out_shape, dtype=x.dtype)
    total = int(np.prod(out_shape))
    conv2d_cuda[_blocks(total, threads), threads](cuda.to_device(x), cuda.to_device(w), cuda.to_device(b),
                                                  stride[0], stride[1], padding[0], padding[1], out)
    return out.copy_to_host()


def pool2d(x, size, stride, padding, is_max, out_shape, threads=THREADS):
    out = cuda.device_array(out_shape, dtype=x.dtype)
    total = int(np.prod(out_shape))
    pool2d_cuda[_blocks(total, threads), threads](cuda.to_device(x), size[0], size[1], stride[0], stride[1],
                                                  padding[0], padding[1], bool(is_max), out)
    return out.copy_to_host()


def batch_norm(x3, gamma, beta, eps, threads=THREADS):
    C = x3.shape[1]
    d_x = cuda.to_device(x3)
    mean = cuda.device_array(C, dtype=np.float64)
    var = cuda.device_array(C, dtype=np.float64)
    channel_stats_cuda[_blocks(C, threads), threads](d_x, mean, var)
    out = cuda.device_array(x3.shape, dtype=x3.dtype)
    batch_norm_apply_cuda[_blocks(x3.size, threads), threads](d_x, cuda.to_device(gamma), cuda.to_device(beta),
                                                               mean, var, float(eps), out)
    return out.copy_to_host(), mean.copy_to_host(), var.copy_to_host()


def layer_norm(x2, gamma, beta, eps, threads=THREADS):
    M = x2.shape[0]
    d_x = cuda.to_device(x2)
    mean = cuda.device_array(M, dtype=np.float64)
    inv = cuda.device_array(M, dtype=np.float64)
    row_stats_cuda[_blocks(M, threads), threads](d_x, mean, inv, float(eps))
    out = cuda.device_array(x2.shape, dtype=x2.dtype)
    layer_norm_apply_cuda[_blocks(x2.size, threads), threads](d_x, cuda.to_device(gamma), cuda.to_device(beta),
                                                               mean, inv, out)
    return out.copy_to_host()


def attention(q, k, v, mask, scale, threads=THREADS):
    B, LQ = q.shape[0], q.shape[1]
    out = cuda.device_array((B, LQ, v.shape[2]), dtype=q.dtype)
    attention_cuda[_blocks(B * LQ, threads), threads](cuda.to_device(q), cuda.to_device(k), cuda.to_device(v),
                                                      cuda.to_device(mask), float(scale), out)
    return out.copy_to_host()


def rnn_forward(x, h0, w_xh, w_hh, b_h, threads=THREADS):
    T, B, _ = x.shape
    HD = h0.shape[1]
    d_wxh, d_whh, d_b = cuda.to_device(w_xh), cuda.to_device(w_hh), cuda.to_device(b_h)
    h = cuda.to_device(h0)
    out = np.empty((T, B, HD), dtype=x.dtype)
    for t in range(T):
        h_next = cuda.device_array((B, HD), dtype=x.dtype)
        rnn_step_cuda[_blocks(B * HD, threads), threads](cuda.to_device(np.ascontiguousarray(x[t])), h, d_wxh, d_whh,
                                                         d_b, h_next)
        out[t] = h_next.copy_to_host()
        h = h_next
    return out
