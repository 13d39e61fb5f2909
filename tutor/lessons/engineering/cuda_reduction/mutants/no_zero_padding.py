# diagnosis: cuda.unwritten_slot
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
    if i < x.shape[0]:  # the threads past the end leave their slot as it was
        sh[tid] = x[i]
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
