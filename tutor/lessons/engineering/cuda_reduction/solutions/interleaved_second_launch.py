"""Interleaved addressing (the stride doubles; thread t works when t is a multiple of 2s), the
barrier at the top of each step, and the partial sums reduced on the device by launching the
same kernel again until one number is left."""
import numpy as np
import torch
from numba import cuda, float32

THREADS = 32


@cuda.jit
def block_sum_kernel(x, partial):
    buf = cuda.shared.array(THREADS, dtype=float32)
    t = cuda.threadIdx.x
    g = cuda.grid(1)
    v = 0.0
    if g < x.size:
        v = x[g]
    buf[t] = v
    stride = 1
    while stride < cuda.blockDim.x:
        cuda.syncthreads()
        if t % (2 * stride) == 0:
            buf[t] = buf[t] + buf[t + stride]
        stride *= 2
    if t == 0:
        partial[cuda.blockIdx.x] = buf[0]


def reduce_sum(x: torch.Tensor) -> float:
    data = np.ascontiguousarray(x.numpy())
    while True:
        blocks = (data.shape[0] + THREADS - 1) // THREADS
        out = np.empty(blocks, dtype=np.float32)
        block_sum_kernel[blocks, THREADS](data, out)
        if blocks == 1:
            return float(out[0])
        data = out
