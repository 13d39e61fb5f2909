"""Benchmark of the Numba reference kernels in tutor.kernels.

For each kernel, on its heavy case (the sizes the heavy checks use):
  <name>_numba_over_torch   time of the @njit CPU kernel / time of torch's own CPU function
  <name>_python_over_numba  time of a straightforward pure-Python loop nest / the Numba kernel,
                            on the heavy case. Pure Python there would take many minutes, so it
                            runs on a smaller case (<name>_python_case) and its time is scaled by
                            the ratio of multiply-adds (its cost per operation does not depend on
                            size); <name>_python_over_numba_small_case is the plain ratio on the
                            small case, where Numba's time is mostly thread start-up.
and the JIT cost: jit_first_process_s (a process with an empty numba cache compiles every CPU
kernel) and jit_second_process_s (a second process loads them from the on-disk cache).

The two sides are timed alternately, round after round, after a warm-up, so both see the same
load on the machine; <name>_numba_over_torch is the median of the per-round ratios, and
<name>_numba_over_torch_min the ratio of the two minimum times. Both sides use the same number
of threads (--threads, default: numba's default, all cores). The last line
printed is one JSON object.

    python benchmarks/kernels.py            # full run, a few minutes on 2 cores
    python benchmarks/kernels.py --quick    # fewer repeats
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tutor.kernels as K  # noqa: E402

GOAL_VS_TORCH = 2.0
GOAL_VS_PYTHON = 100.0


# -- straightforward pure-Python references (lists of lists, no numpy in the loops) ------------

def py_conv2d(x, w, b, stride, padding):
    (sh, sw), (ph, pw) = K.pair(stride), K.pair(padding)
    N, C, H, W = len(x), len(x[0]), len(x[0][0]), len(x[0][0][0])
    CO, KH, KW = len(w), len(w[0][0]), len(w[0][0][0])
    OH, OW = (H + 2 * ph - KH) // sh + 1, (W + 2 * pw - KW) // sw + 1
    out = [[[[0.0] * OW for _ in range(OH)] for _ in range(CO)] for _ in range(N)]
    for n in range(N):
        for o in range(CO):
            for i in range(OH):
                for j in range(OW):
                    s = b[o]
                    for c in range(C):
                        for a in range(KH):
                            ih = i * sh + a - ph
                            if 0 <= ih < H:
                                for d in range(KW):
                                    iw = j * sw + d - pw
                                    if 0 <= iw < W:
                                        s += w[o][c][a][d] * x[n][c][ih][iw]
                    out[n][o][i][j] = s
    return out


def py_pool2d(x, size, stride, padding, mode):
    (kh, kw), (sh, sw), (ph, pw) = K.pair(size), K.pair(stride), K.pair(padding)
    N, C, H, W = len(x), len(x[0]), len(x[0][0]), len(x[0][0][0])
    OH, OW = (H + 2 * ph - kh) // sh + 1, (W + 2 * pw - kw) // sw + 1
    out = [[[[0.0] * OW for _ in range(OH)] for _ in range(C)] for _ in range(N)]
    for n in range(N):
        for c in range(C):
            for i in range(OH):
                for j in range(OW):
                    vals = [x[n][c][i * sh + a - ph][j * sw + d - pw] for a in range(kh) for d in range(kw)
                            if 0 <= i * sh + a - ph < H and 0 <= j * sw + d - pw < W]
                    out[n][c][i][j] = max(vals) if mode == "max" else sum(vals) / (kh * kw)
    return out


def py_batch_norm(x, gamma, beta, eps=1e-5):
    N, C, L = len(x), len(x[0]), len(x[0][0])
    out = [[[0.0] * L for _ in range(C)] for _ in range(N)]
    for c in range(C):
        vals = [x[n][c][i] for n in range(N) for i in range(L)]
        mu = sum(vals) / len(vals)
        var = sum((v - mu) ** 2 for v in vals) / len(vals)
        for n in range(N):
            for i in range(L):
                out[n][c][i] = (x[n][c][i] - mu) / math.sqrt(var + eps) * gamma[c] + beta[c]
    return out


def py_layer_norm(x, gamma, beta, eps=1e-5):
    out = []
    for row in x:
        mu = sum(row) / len(row)
        var = sum((v - mu) ** 2 for v in row) / len(row)
        out.append([(v - mu) / math.sqrt(var + eps) * g + b for v, g, b in zip(row, gamma, beta)])
    return out


def py_attention(q, k, v, mask):
    out = []
    for b in range(len(q)):
        rows = []
        d = len(q[b][0])
        for i in range(len(q[b])):
            scores = [sum(qq * kk for qq, kk in zip(q[b][i], k[b][j])) / math.sqrt(d) if mask[b][i][j] else None
                      for j in range(len(k[b]))]
            m = max(s for s in scores if s is not None)
            e = [math.exp(s - m) if s is not None else 0.0 for s in scores]
            z = sum(e)
            rows.append([sum(e[j] / z * v[b][j][t] for j in range(len(k[b]))) for t in range(len(v[b][0]))])
        out.append(rows)
    return out


def py_rnn(X, H0, W_xh, W_hh, b_h):
    T, B, D, HD = len(X), len(X[0]), len(X[0][0]), len(H0[0])
    H, out = H0, []
    for t in range(T):
        new = [[math.tanh(b_h[j] + sum(X[t][bi][d] * W_xh[d][j] for d in range(D))
                          + sum(H[bi][kk] * W_hh[kk][j] for kk in range(HD))) for j in range(HD)] for bi in range(B)]
        out.append(new)
        H = new
    return out


# -- timing ---------------------------------------------------------------------------------

def timed(fn, repeats: int, warmup: int = 2) -> dict:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return {"min_s": min(times), "median_s": statistics.median(times)}


def timed_pair(a, b, repeats: int, warmup: int = 2) -> tuple[dict, dict, float]:
    """Time a and b alternately, so both see the same machine load; also the median of the
    per-round ratios a/b."""
    for _ in range(warmup):
        a()
        b()
    ta, tb = [], []
    for _ in range(repeats):
        for fn, out in ((a, ta), (b, tb)):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    stats = [{"min_s": min(t), "median_s": statistics.median(t)} for t in (ta, tb)]
    return stats[0], stats[1], statistics.median(x / y for x, y in zip(ta, tb))


def once(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def cases(rng):
    """name -> (heavy inputs, numba call, torch call, small inputs, numba call, pure-Python call)."""
    f32 = np.float32

    def arr(*shape, scale=1.0):
        return (rng.standard_normal(shape) * scale).astype(f32)

    out = {}
    x, w, b = arr(8, 16, 64, 64), arr(32, 16, 3, 3), arr(32)
    xs, ws, bs = arr(1, 4, 16, 16), arr(8, 4, 3, 3), arr(8)
    tx, tw, tb = map(torch.from_numpy, (x, w, b))
    out["conv2d"] = dict(
        heavy="(8,16,64,64) x (32,16,3,3), stride 1, padding 0",
        numba=lambda: K.conv2d(x, w, b, 1, 0, backend="cpu"),
        torch=lambda: F.conv2d(tx, tw, tb),
        small="(1,4,16,16) x (8,4,3,3), padding 1",
        numba_small=lambda: K.conv2d(xs, ws, bs, 1, 1, backend="cpu"),
        python=lambda: py_conv2d(xs.tolist(), ws.tolist(), bs.tolist(), 1, 1),
        work=8 * 32 * 62 * 62 * 16 * 9, work_small=1 * 8 * 16 * 16 * 4 * 9,
    )
    xp = arr(8, 16, 64, 64)
    txp = torch.from_numpy(xp)
    xps = arr(2, 4, 32, 32)
    for mode, tfn in (("max", F.max_pool2d), ("avg", F.avg_pool2d)):
        out[f"{mode}_pool2d"] = dict(
            heavy="(8,16,64,64), 3x3 window, stride 2, padding 1",
            numba=lambda mode=mode: K.pool2d(xp, 3, 2, 1, mode, backend="cpu"),
            torch=lambda tfn=tfn: tfn(txp, 3, 2, 1),
            small="(2,4,32,32), 3x3 window, stride 2, padding 1",
            numba_small=lambda mode=mode: K.pool2d(xps, 3, 2, 1, mode, backend="cpu"),
            python=lambda mode=mode: py_pool2d(xps.tolist(), 3, 2, 1, mode),
            work=8 * 16 * 32 * 32 * 9, work_small=2 * 4 * 16 * 16 * 9,
        )
    xb, gb, bb = arr(32, 64, 32, 32, scale=2.0), arr(64), arr(64)
    txb, tgb, tbb = map(torch.from_numpy, (xb, gb, bb))
    xbs = arr(8, 16, 8, 8)
    out["batch_norm"] = dict(
        heavy="(32,64,32,32), training-mode statistics",
        numba=lambda: K.batch_norm(xb, gb, bb, backend="cpu"),
        torch=lambda: F.batch_norm(txb, None, None, tgb, tbb, training=True),
        small="(8,16,8,8)",
        numba_small=lambda: K.batch_norm(xbs, gb[:16], bb[:16], backend="cpu"),
        python=lambda: py_batch_norm(xbs.reshape(8, 16, 64).tolist(), gb[:16].tolist(), bb[:16].tolist()),
        work=32 * 64 * 32 * 32, work_small=8 * 16 * 8 * 8,
    )
    xl, gl, bl = arr(64, 128, 512, scale=2.0), arr(512), arr(512)
    txl, tgl, tbl = map(torch.from_numpy, (xl, gl, bl))
    xls = arr(256, 512)
    out["layer_norm"] = dict(
        heavy="(64,128,512), over the last axis",
        numba=lambda: K.layer_norm(xl, gl, bl, backend="cpu"),
        torch=lambda: F.layer_norm(txl, (512,), tgl, tbl),
        small="(256,512)",
        numba_small=lambda: K.layer_norm(xls, gl, bl, backend="cpu"),
        python=lambda: py_layer_norm(xls.tolist(), gl.tolist(), bl.tolist()),
        work=64 * 128 * 512, work_small=256 * 512,
    )
    B, L, D = 16, 128, 64
    q, k, v = arr(B, L, D), arr(B, L, D), arr(B, L, D)
    valid = rng.integers(1, L + 1, size=B)
    mask = np.broadcast_to(np.arange(L)[None, None, :] < valid[:, None, None], (B, L, L)).copy()
    tq, tk, tv, tm = map(torch.from_numpy, (q, k, v, mask))
    qs, ks, vs, ms = q[:2, :32], k[:2, :32], v[:2, :32], mask[:2, :32, :32]
    out["attention"] = dict(
        heavy="(16,128,64) queries, keys and values, boolean mask of valid lengths",
        numba=lambda: K.attention(q, k, v, mask, backend="cpu"),
        torch=lambda: F.scaled_dot_product_attention(tq, tk, tv, attn_mask=tm),
        small="(2,32,64)",
        numba_small=lambda: K.attention(qs, ks, vs, ms, backend="cpu"),
        python=lambda: py_attention(qs.tolist(), ks.tolist(), vs.tolist(), ms.tolist()),
        work=16 * 128 * 128 * 128, work_small=2 * 32 * 32 * 128,
    )
    T, Bt, Dt, Ht = 64, 32, 64, 128
    X, H0, Wx, Wh, bh = arr(T, Bt, Dt), arr(Bt, Ht), arr(Dt, Ht, scale=0.1), arr(Ht, Ht, scale=0.1), arr(Ht)
    tX, tH0, tWx, tWh, tbh = map(torch.from_numpy, (X, H0, Wx, Wh, bh))

    def torch_rnn():
        H, outs = tH0, []
        for t in range(T):
            H = torch.tanh(tX[t] @ tWx + H @ tWh + tbh)
            outs.append(H)
        return torch.stack(outs)

    Xs = X[:8, :4]
    out["rnn_forward"] = dict(
        heavy="T=64, batch 32, 64 inputs, 128 hidden (torch: a loop of matmuls + tanh)",
        numba=lambda: K.rnn_forward(X, H0, Wx, Wh, bh, backend="cpu"),
        torch=torch_rnn,
        small="T=8, batch 4, 64 inputs, 128 hidden",
        numba_small=lambda: K.rnn_forward(Xs, H0[:4], Wx, Wh, bh, backend="cpu"),
        python=lambda: py_rnn(Xs.tolist(), H0[:4].tolist(), Wx.tolist(), Wh.tolist(), bh.tolist()),
        work=64 * 32 * 128 * 192, work_small=8 * 4 * 128 * 192,
    )
    return out


def check_python_reference(name, case) -> None:
    """The pure-Python loop nest must compute the same numbers, or the comparison means nothing."""
    got = np.asarray(case["python"](), dtype=np.float64)
    ref = np.asarray(case["numba_small"](), dtype=np.float64)
    if got.size != ref.size or not np.allclose(got.ravel(), ref.ravel(), rtol=1e-4, atol=1e-4):
        raise SystemExit(f"{name}: the pure-Python reference disagrees with the Numba kernel")


JIT_SNIPPET = "import time; t = time.perf_counter(); import tutor.kernels as K; K.warm_up(); print(time.perf_counter() - t)"


def jit_times() -> dict:
    """Compile every CPU kernel in a process with an empty cache, then load them in a second one."""
    with tempfile.TemporaryDirectory(prefix="tutor-numba-cache-") as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, PYTHONPATH=str(ROOT))
        out = {}
        for key in ("jit_first_process_s", "jit_second_process_s"):
            proc = subprocess.run([sys.executable, "-c", JIT_SNIPPET], env=env, capture_output=True, text=True,
                                  check=True)
            out[key] = round(float(proc.stdout.strip().splitlines()[-1]), 3)
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--only", nargs="*", help="kernel names to run (default: all)")
    parser.add_argument("--no-jit", action="store_true", help="skip the compile-time measurement")
    parser.add_argument("--threads", type=int, default=0, help="threads for numba and torch (default: all)")
    args = parser.parse_args()
    repeats = 5 if args.quick else 20
    import numba

    if args.threads:
        numba.set_num_threads(args.threads)
    threads = numba.get_num_threads()
    torch.set_num_threads(threads)
    result = {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cpus",
              "threads": threads, "numba": numba.__version__, "torch": torch.__version__,
              "threading_layer": None}
    if not args.no_jit:
        result.update(jit_times())
    K.warm_up((np.float32,))
    result["threading_layer"] = numba.threading_layer()
    rng = np.random.default_rng(0)
    for name, case in cases(rng).items():
        if args.only and name not in args.only:
            continue
        check_python_reference(name, case)
        nb, tt, paired = timed_pair(case["numba"], case["torch"], repeats)
        nb_small = timed(case["numba_small"], repeats)
        py = min(once(case["python"]) for _ in range(1 if args.quick else 2))
        # Pure Python costs the same per multiply-add at any size, so its time on the heavy case
        # is the small case's time scaled by the work; the Numba side is measured on the heavy case.
        py_heavy = py * case["work"] / case["work_small"]
        result[f"{name}_numba_over_torch"] = round(paired, 3)
        result[f"{name}_numba_over_torch_min"] = round(nb["min_s"] / tt["min_s"], 3)
        result[f"{name}_python_over_numba"] = round(py_heavy / nb["min_s"], 1)
        result[f"{name}_python_over_numba_small_case"] = round(py / nb_small["min_s"], 1)
        result[f"{name}_numba_ms"] = round(nb["min_s"] * 1e3, 3)
        result[f"{name}_torch_ms"] = round(tt["min_s"] * 1e3, 3)
        result[f"{name}_heavy_case"] = case["heavy"]
        result[f"{name}_python_case"] = case["small"]
        print(f"{name:12s} numba {nb['min_s'] * 1e3:9.3f} ms  torch {tt['min_s'] * 1e3:9.3f} ms  "
              f"ratio {paired:6.2f} (of the minima {nb['min_s'] / tt['min_s']:.2f})   "
              f"python/numba {py_heavy / nb['min_s']:9.1f} (measured on {case['small']}: {py / nb_small['min_s']:.1f})",
              flush=True)
    if "conv2d_numba_over_torch" in result:
        result["goal_conv2d_within_2x_of_torch"] = result["conv2d_numba_over_torch"] <= GOAL_VS_TORCH
        result["goal_conv2d_100x_faster_than_python"] = result["conv2d_python_over_numba"] >= GOAL_VS_PYTHON
    print(json.dumps(result))


if __name__ == "__main__":
    main()
