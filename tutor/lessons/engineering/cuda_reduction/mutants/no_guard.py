# diagnosis: cuda.no_bounds_check
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
    sh[tid] = x[i]  # the last block's extra threads read past the end of x
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
    total = 0.0
    for p in partial:
        total += float(p)
    return total
