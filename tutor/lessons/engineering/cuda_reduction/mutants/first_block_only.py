# diagnosis: cuda.partials_not_combined
import math

import numba
import torch
from numba import cuda

THREADS = 32


@cuda.jit
def block_sum_kernel(x, partial):
    sh = cuda.shared.array(THREADS, numba.float32)
    tid = cuda.threadIdx.x
    i = cuda.blockIdx.x * cuda.blockDim.x + tid
    sh[tid] = x[i] if i < x.shape[0] else 0.0
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s > 0:
        if tid < s:
            sh[tid] += sh[tid + s]
        cuda.syncthreads()
        s //= 2
    if tid == 0:
        partial[cuda.blockIdx.x] = sh[0]


def reduce_sum(x):
    blocks = math.ceil(x.shape[0] / THREADS)
    partial = torch.zeros(blocks, dtype=torch.float32).numpy()
    block_sum_kernel[blocks, THREADS](x.numpy(), partial)
    return float(partial[0])  # only the first block's sum: the other blocks' partial sums are dropped
