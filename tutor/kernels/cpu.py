"""CPU reference kernels: `@njit(parallel=True, cache=True)`, one per operation.

Every kernel writes into an output array the caller allocates (see tutor.kernels for the
shapes); padding is handled by bounds inside the loops, so no padded copy of the input is
made. Loops are ordered so that the innermost one runs over a contiguous row of the output,
which LLVM turns into SIMD code; the outer `prange` spreads independent rows over threads.
Compiled code is cached in `__pycache__` next to this file (or numba's user-wide cache when
that folder is read-only), so only the first process on a machine pays for compilation.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

# LLVM may reorder and fuse floating-point sums (what lets reductions vectorise), but it may not
# assume that there are no NaNs or infinities: masks use −∞, and NaN inputs must propagate.
FAST = {"nsz", "arcp", "contract", "afn", "reassoc"}


@njit(cache=True)
def _first_col(kj, pw, sw):
    """Smallest output column whose input column ow*sw + kj - pw is >= 0."""
    lo = pw - kj
    if lo <= 0:
        return 0
    return (lo + sw - 1) // sw


@njit(cache=True)
def _end_col(kj, pw, sw, width, ow_count):
    """One past the largest output column whose input column is < width."""
    hi = width - 1 + pw - kj
    if hi < 0:
        return 0
    end = hi // sw + 1
    return min(end, ow_count)


@njit(parallel=True, cache=True, fastmath=FAST)
def conv2d_kernel(x, w, b, sh, sw, ph, pw, out):
    """out[n, co, oh, ow] = b[co] + Σ_ci Σ_ki Σ_kj w[co, ci, ki, kj] · x[n, ci, oh·sh+ki−ph, ow·sw+kj−pw]."""
    N, C, H, W = x.shape
    CO, _, KH, KW = w.shape
    OH, OW = out.shape[2], out.shape[3]
    for job in prange(N * OH):
        n = job // OH
        oh = job - n * OH
        for co in range(CO):
            row = out[n, co, oh]
            bv = b[co]
            for ow in range(OW):
                row[ow] = bv
        for ci in range(C):
            for ki in range(KH):
                ih = oh * sh + ki - ph
                if ih < 0 or ih >= H:
                    continue
                xr = x[n, ci, ih]
                for kj in range(KW):
                    lo = _first_col(kj, pw, sw)
                    hi = _end_col(kj, pw, sw, W, OW)
                    count = hi - lo
                    if count <= 0:
                        continue
                    # Input column of output column lo + t is base + t·sw, with base >= 0: indices
                    # that are provably non-negative let LLVM drop the wraparound checks and vectorise.
                    base = lo * sw + kj - pw
                    for co in range(CO):
                        wv = w[co, ci, ki, kj]
                        row = out[n, co, oh, lo:hi]
                        if sw == 1:
                            xs = xr[base:base + count]
                            for t in range(count):
                                row[t] += wv * xs[t]
                        else:
                            for t in range(count):
                                row[t] += wv * xr[base + t * sw]


@njit(parallel=True, cache=True)
def pad2d_kernel(x, ph, pw, out):
    """out (N, C, H + 2·ph, W + 2·pw) = x surrounded by zeros."""
    N, C, H, W = x.shape
    Hp, Wp = out.shape[2], out.shape[3]
    for job in prange(N * C):
        n = job // C
        c = job - n * C
        for i in range(Hp):
            for j in range(Wp):
                out[n, c, i, j] = 0
        for i in range(H):
            for j in range(W):
                out[n, c, i + ph, j + pw] = x[n, c, i, j]


@njit(parallel=True, cache=True, fastmath=FAST)
def conv2d_stride1_kernel(xp, w, b, out):
    """Stride 1 on an already padded input, one (image, output channel) plane per task.

    Each input plane is read as one flat row: output position (oh, ow) sits at p = oh·Wp + ow and
    kernel entry (ki, kj) adds w · plane[p + ki·Wp + kj], so every kernel entry is one long
    contiguous multiply-add over the whole plane (the Wp − OW positions per row that fall off
    the right edge are computed and dropped). Long unit-stride loops vectorise well.
    Accumulation is in the input's dtype (float32 in, float32 sums), like torch's kernels.
    """
    N, C, Hp, Wp = xp.shape
    CO, _, KH, KW = w.shape
    OH, OW = out.shape[2], out.shape[3]
    L = (OH - 1) * Wp + OW
    for job in prange(N * CO):
        n = job // CO
        co = job - n * CO
        acc = np.empty(L, dtype=out.dtype)
        bv = b[co]
        for p in range(L):
            acc[p] = bv
        for ci in range(C):
            plane = xp[n, ci].ravel()
            for ki in range(KH):
                # Up to three kernel entries of a row per sweep: one load and store of the
                # accumulator per three multiply-adds.
                kj = 0
                while kj < KW:
                    start = ki * Wp + kj
                    left = KW - kj
                    if left >= 3:
                        w0, w1, w2 = w[co, ci, ki, kj], w[co, ci, ki, kj + 1], w[co, ci, ki, kj + 2]
                        s0 = plane[start:start + L]
                        s1 = plane[start + 1:start + 1 + L]
                        s2 = plane[start + 2:start + 2 + L]
                        for p in range(L):
                            acc[p] += w0 * s0[p] + w1 * s1[p] + w2 * s2[p]
                        kj += 3
                    elif left == 2:
                        w0, w1 = w[co, ci, ki, kj], w[co, ci, ki, kj + 1]
                        s0 = plane[start:start + L]
                        s1 = plane[start + 1:start + 1 + L]
                        for p in range(L):
                            acc[p] += w0 * s0[p] + w1 * s1[p]
                        kj += 2
                    else:
                        w0 = w[co, ci, ki, kj]
                        s0 = plane[start:start + L]
                        for p in range(L):
                            acc[p] += w0 * s0[p]
                        kj += 1
        for oh in range(OH):
            for ow in range(OW):
                out[n, co, oh, ow] = acc[oh * Wp + ow]


@njit(parallel=True, cache=True, fastmath=FAST)
def conv2d_3x3_stride1_kernel(xp, w, b, out):
    """The common 3×3, stride-1 case of conv2d_stride1_kernel, unrolled: all nine taps in one
    sweep over the flat plane, for two output channels at once, so each input value loaded
    feeds eighteen multiply-adds and each accumulator is loaded and stored once per channel."""
    N, C, Hp, Wp = xp.shape
    CO = w.shape[0]
    OH, OW = out.shape[2], out.shape[3]
    L = (OH - 1) * Wp + OW
    G = (CO + 1) // 2
    for job in prange(N * G):
        n = job // G
        c0 = (job - n * G) * 2
        two = c0 + 1 < CO
        c1 = c0 + 1 if two else c0
        a0 = np.empty(L, dtype=out.dtype)
        a1 = np.empty(L, dtype=out.dtype)
        b0, b1 = b[c0], b[c1]
        for p in range(L):
            a0[p] = b0
            a1[p] = b1
        for ci in range(C):
            pl = xp[n, ci].ravel()
            u = w[c0, ci]
            v = w[c1, ci]
            r0 = pl[0:L + 2]
            r1 = pl[Wp:Wp + L + 2]
            r2 = pl[2 * Wp:2 * Wp + L + 2]
            u00, u01, u02 = u[0, 0], u[0, 1], u[0, 2]
            u10, u11, u12 = u[1, 0], u[1, 1], u[1, 2]
            u20, u21, u22 = u[2, 0], u[2, 1], u[2, 2]
            v00, v01, v02 = v[0, 0], v[0, 1], v[0, 2]
            v10, v11, v12 = v[1, 0], v[1, 1], v[1, 2]
            v20, v21, v22 = v[2, 0], v[2, 1], v[2, 2]
            for p in range(L):
                x00, x01, x02 = r0[p], r0[p + 1], r0[p + 2]
                x10, x11, x12 = r1[p], r1[p + 1], r1[p + 2]
                x20, x21, x22 = r2[p], r2[p + 1], r2[p + 2]
                a0[p] += (u00 * x00 + u01 * x01 + u02 * x02 + u10 * x10 + u11 * x11 + u12 * x12
                          + u20 * x20 + u21 * x21 + u22 * x22)
                a1[p] += (v00 * x00 + v01 * x01 + v02 * x02 + v10 * x10 + v11 * x11 + v12 * x12
                          + v20 * x20 + v21 * x21 + v22 * x22)
        for oh in range(OH):
            for ow in range(OW):
                out[n, c0, oh, ow] = a0[oh * Wp + ow]
                if two:
                    out[n, c1, oh, ow] = a1[oh * Wp + ow]


@njit(parallel=True, cache=True)
def max_pool2d_kernel(x, kh, kw, sh, sw, ph, pw, out):
    """Maximum over each window; padded positions never win (they count as −∞)."""
    N, C, H, W = x.shape
    OH, OW = out.shape[2], out.shape[3]
    for job in prange(N * C):
        n = job // C
        c = job - n * C
        for oh in range(OH):
            for ow in range(OW):
                best = -np.inf
                for ki in range(kh):
                    ih = oh * sh + ki - ph
                    if ih < 0 or ih >= H:
                        continue
                    for kj in range(kw):
                        iw = ow * sw + kj - pw
                        if iw < 0 or iw >= W:
                            continue
                        v = x[n, c, ih, iw]
                        if v > best or v != v:  # NaN propagates, as in torch
                            best = v
                out[n, c, oh, ow] = best


@njit(parallel=True, cache=True)
def avg_pool2d_kernel(x, kh, kw, sh, sw, ph, pw, out):
    """Mean over each window of kh·kw positions, padding zeros included in the count."""
    N, C, H, W = x.shape
    OH, OW = out.shape[2], out.shape[3]
    inv = 1.0 / (kh * kw)
    for job in prange(N * C):
        n = job // C
        c = job - n * C
        for oh in range(OH):
            for ow in range(OW):
                s = 0.0
                for ki in range(kh):
                    ih = oh * sh + ki - ph
                    if ih < 0 or ih >= H:
                        continue
                    for kj in range(kw):
                        iw = ow * sw + kj - pw
                        if iw < 0 or iw >= W:
                            continue
                        s += x[n, c, ih, iw]
                out[n, c, oh, ow] = s * inv


@njit(parallel=True, cache=True, fastmath=FAST)
def batch_norm_kernel(x, gamma, beta, eps, out, mean, var):
    """x (N, C, L): per channel c, statistics over N·L; y = γ·(x − μ)/√(σ² + ε) + β."""
    N, C, L = x.shape
    count = N * L
    for c in prange(C):
        s = 0.0
        for n in range(N):
            for i in range(L):
                s += x[n, c, i]
        mu = s / count
        q = 0.0
        for n in range(N):
            for i in range(L):
                d = x[n, c, i] - mu
                q += d * d
        v = q / count
        mean[c] = mu
        var[c] = v
        scale = gamma[c] / math.sqrt(v + eps)
        shift = beta[c] - mu * scale
        for n in range(N):
            for i in range(L):
                out[n, c, i] = x[n, c, i] * scale + shift


@njit(parallel=True, cache=True, fastmath=FAST)
def layer_norm_kernel(x, gamma, beta, eps, out):
    """x (M, D): each row normalised over its D features; y = γ·(x − μ)/√(σ² + ε) + β."""
    M, D = x.shape
    for r in prange(M):
        s = 0.0
        for j in range(D):
            s += x[r, j]
        mu = s / D
        q = 0.0
        for j in range(D):
            d = x[r, j] - mu
            q += d * d
        inv = 1.0 / math.sqrt(q / D + eps)
        for j in range(D):
            out[r, j] = (x[r, j] - mu) * inv * gamma[j] + beta[j]


@njit(parallel=True, cache=True, fastmath=FAST)
def attention_kernel(q, k, v, mask, scale, out):
    """out[b, i] = Σ_j softmax_j(q_i·k_j·scale over allowed j) v_j; mask[b, i, j] True = allowed.

    One task per query row: scores (dot products over the contiguous feature axis), the
    max-shifted exponentials, then the weighted sum of the value rows. A query row with no
    allowed key gets zeros.
    """
    B, LQ, D = q.shape
    LK = k.shape[1]
    DV = v.shape[2]
    for job in prange(B * LQ):
        b = job // LQ
        i = job - b * LQ
        scores = np.empty(LK, dtype=np.float64)
        m = -np.inf
        for j in range(LK):
            if mask[b, i, j]:
                s = 0.0
                for d in range(D):
                    s += q[b, i, d] * k[b, j, d]
                s *= scale
                scores[j] = s
                if s > m:
                    m = s
            else:
                scores[j] = -np.inf
        for e in range(DV):
            out[b, i, e] = 0.0
        if m == -np.inf:
            continue
        total = 0.0
        for j in range(LK):
            p = math.exp(scores[j] - m) if mask[b, i, j] else 0.0
            scores[j] = p
            total += p
        for j in range(LK):
            p = scores[j] / total
            if p != 0.0:
                for e in range(DV):
                    out[b, i, e] += p * v[b, j, e]


@njit(parallel=True, cache=True, fastmath=FAST)
def rnn_forward_kernel(x, h0, w_xh, w_hh, b_h, out):
    """H_t = tanh(X_t W_xh + H_{t−1} W_hh + b_h) for t = 1..T; out (T, B, H) holds every H_t.

    The sequences of a batch are independent, so each thread runs whole sequences: one parallel
    region for the whole recurrence instead of one per time step.
    """
    T, B, D = x.shape
    HD = h0.shape[1]
    for bi in prange(B):
        s = np.empty(HD, dtype=out.dtype)
        for t in range(T):
            for j in range(HD):
                s[j] = b_h[j]
            # Four rows of each weight matrix per sweep: one load and store of s[j] per four
            # multiply-adds.
            d = 0
            while d + 4 <= D:
                x0, x1, x2, x3 = x[t, bi, d], x[t, bi, d + 1], x[t, bi, d + 2], x[t, bi, d + 3]
                for j in range(HD):
                    s[j] += x0 * w_xh[d, j] + x1 * w_xh[d + 1, j] + x2 * w_xh[d + 2, j] + x3 * w_xh[d + 3, j]
                d += 4
            while d < D:
                x0 = x[t, bi, d]
                for j in range(HD):
                    s[j] += x0 * w_xh[d, j]
                d += 1
            prev = h0[bi] if t == 0 else out[t - 1, bi]
            kk = 0
            while kk + 4 <= HD:
                h0v, h1v, h2v, h3v = prev[kk], prev[kk + 1], prev[kk + 2], prev[kk + 3]
                for j in range(HD):
                    s[j] += h0v * w_hh[kk, j] + h1v * w_hh[kk + 1, j] + h2v * w_hh[kk + 2, j] + h3v * w_hh[kk + 3, j]
                kk += 4
            while kk < HD:
                h0v = prev[kk]
                for j in range(HD):
                    s[j] += h0v * w_hh[kk, j]
                kk += 1
            for j in range(HD):
                out[t, bi, j] = math.tanh(s[j])
