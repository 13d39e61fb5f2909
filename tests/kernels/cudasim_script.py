"""Runs every numba.cuda kernel on numba's CUDA simulator and compares with torch.

Started by test_cuda_kernels.py in a fresh process with NUMBA_ENABLE_CUDASIM=1 (the variable
must be set before numba.cuda is first imported). Inputs are tiny: the simulator runs each
GPU thread as Python. Prints one line per case and "ALL OK" at the end.

On a machine with a GPU, `python tests/kernels/cudasim_script.py --gpu` runs the same cases
on the real device.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

GPU = "--gpu" in sys.argv
assert GPU or os.environ.get("NUMBA_ENABLE_CUDASIM") == "1", "run me with NUMBA_ENABLE_CUDASIM=1 (or --gpu)"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases as C  # noqa: E402

import tutor.kernels as K  # noqa: E402
from tutor.kernels import cuda as KC  # noqa: E402


def close(name, got, expected):
    rtol, atol = C.tol(expected.dtype)
    assert got.shape == expected.shape, (name, got.shape, expected.shape)
    assert got.dtype == expected.dtype, (name, got.dtype, expected.dtype)
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, err_msg=name)
    print("ok", name, got.shape, flush=True)


def main() -> None:
    from numba import config

    if GPU:
        assert not config.ENABLE_CUDASIM and K.choose_backend() == "cuda", "no GPU found"
    else:
        assert config.ENABLE_CUDASIM
        # The simulator is not a GPU: automatic dispatch must stay on the CPU.
        assert K.choose_backend() == "cpu"
    rng = np.random.default_rng(11)
    for i, (x, w, b, stride, padding) in enumerate(C.conv_cases(rng, 5, small=True)):
        close(f"conv2d[{i}]", K.conv2d(x, w, b, stride, padding, backend="cuda"), C.torch_conv(x, w, b, stride, padding))
    # A launch whose thread count is smaller than the work: the grid-stride loop covers the rest.
    x, w, b, stride, padding = C.conv_cases(rng, 1, small=True)[0]
    shape = (x.shape[0], w.shape[0], (x.shape[2] + 2 * K.pair(padding)[0] - w.shape[2]) // K.pair(stride)[0] + 1,
             (x.shape[3] + 2 * K.pair(padding)[1] - w.shape[3]) // K.pair(stride)[1] + 1)
    bias = np.zeros(w.shape[0], x.dtype) if b is None else b
    got = KC.conv2d(x, w, bias, K.pair(stride), K.pair(padding), shape, threads=3)
    close("conv2d[3 threads per block]", got, C.torch_conv(x, w, b, stride, padding))
    for i, (x, size, stride, padding, mode) in enumerate(C.pool_cases(rng, 3, small=True)):
        close(f"pool2d[{i}, {mode}]", K.pool2d(x, size, stride, padding, mode, backend="cuda"),
              C.torch_pool(x, size, stride, padding, mode))
    for shape in [(5, 3), (2, 3, 2, 3)]:
        x, g, bb = C.norm_inputs(rng, shape)
        close(f"batch_norm{shape}", K.batch_norm(x, g, bb, backend="cuda"), C.torch_batch_norm(x, g, bb))
    x = (rng.standard_normal((3, 7)) * 2 + 1).astype(np.float32)
    g, bb = rng.standard_normal(7).astype(np.float32), rng.standard_normal(7).astype(np.float32)
    close("layer_norm(3, 7)", K.layer_norm(x, g, bb, backend="cuda"), C.torch_layer_norm(x, g, bb))
    q, k, v, mask = C.attention_inputs(rng, 2, 3, 5, 4, 3)
    close("attention masked", K.attention(q, k, v, mask, backend="cuda"), C.torch_attention(q, k, v, mask))
    mask[1, 2] = False
    got = K.attention(q, k, v, mask, backend="cuda")
    assert np.all(got[1, 2] == 0)
    close("attention fully masked row", got, K.attention(q, k, v, mask, backend="cpu"))
    args = C.rnn_inputs(rng, 4, 2, 3, 5)
    close("rnn_forward", K.rnn_forward(*args, backend="cuda"), C.torch_rnn(*args))
    print("ALL OK")


if __name__ == "__main__":
    main()
