"""engineering/cuda_bias_relu: the learner's Numba CUDA kernel, on numba's CUDA simulator (the
exercise declares cuda_simulator, so the learner's process has NUMBA_ENABLE_CUDASIM=1 unless a
GPU is there). The oracle is torch on the CPU."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import torch

from tutor.grader import kit


def torch_bias_relu():
    def bias_relu(x, b):
        return torch.clamp(x + b, min=0)

    def bias_relu_kernel(x, b, out):  # launched by the scenario with [grid, block]
        raise AssertionError("the oracle's kernel is never launched")

    return SimpleNamespace(bias_relu=bias_relu, bias_relu_kernel=bias_relu_kernel)


def _data(ctx, rows, cols, offset):
    g = ctx.generator(offset)
    x = torch.randn(rows, cols, generator=g, dtype=torch.float64).to(torch.float32)
    b = torch.randn(cols, generator=g, dtype=torch.float64).to(torch.float32)
    return x, b


def kernel_launched_by_us(module, ctx):
    """The kernel alone, launched with a 2×3 grid of 4×4 blocks (8×12 threads) on a 7×11 matrix:
    the threads past the edge must do nothing."""
    x, b = _data(ctx, 7, 11, 1)
    if not hasattr(module, "__file__"):  # the oracle: torch on the CPU
        return {"out": torch.clamp(x + b, min=0), "index_error": None, "x": x, "b": b}
    kernel = kit.member(module, "bias_relu_kernel")
    out = np.full((7, 11), -1.0, dtype=np.float32)
    try:
        kernel[(2, 3), (4, 4)](x.numpy(), b.numpy(), out)
    except IndexError as exc:
        return {"out": torch.from_numpy(out), "index_error": str(exc)[:300], "x": x, "b": b}
    return {"out": torch.from_numpy(out), "index_error": None, "x": x, "b": b}


def judge_kernel(got, expected, jc):
    if got["index_error"]:
        return jc.fail("launched with a 2×3 grid of 4×4 blocks on a 7×11 matrix (8×12 threads), the kernel read "
                       f"or wrote outside the arrays: {got['index_error']}", "cuda.no_bounds_check")
    mismatch = kit.compare_plain(got["out"], expected["out"], what="out after the launch (2×3 blocks of 4×4 on 7×11)",
                                 rtol=1e-6, atol=1e-6)
    if mismatch:
        x, b = np.asarray(expected["x"]), np.asarray(expected["b"])
        by_row = np.maximum(x + b[np.arange(x.shape[0]) % b.shape[0]][:, None], 0)
        if np.allclose(np.asarray(got["out"]), by_row, rtol=1e-6, atol=1e-6):
            return jc.fail(mismatch.message, "cuda.bias_axis", mismatch.details)
    return mismatch


def _matrix(value):
    """The 2-D output inside a check's result (a value check's result holds it under "out")."""
    if isinstance(value, dict) and "out" in value:
        return _matrix(value["out"])
    if isinstance(value, np.ndarray):
        return value.astype(np.float64) if value.ndim == 2 else None
    if isinstance(value, torch.Tensor):
        return _matrix(value.detach().numpy())
    return None


def detect_uncovered(got, expected):
    """Right wherever a whole 16×16 block fits, wrong only in the last rows or columns: too few blocks."""
    g, e = _matrix(got), _matrix(expected)
    if g is None or e is None or g.shape != e.shape:
        return None
    wrong = ~np.isclose(g, e, rtol=1e-5, atol=1e-6)
    if not wrong.any():
        return None
    rows, cols = np.nonzero(wrong)
    full_r, full_c = e.shape[0] // 16 * 16, e.shape[1] // 16 * 16
    if np.all((rows >= full_r) | (cols >= full_c)):
        return "cuda.grid_too_small"
    return None
