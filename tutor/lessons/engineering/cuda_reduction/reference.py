import math

import numba
import torch
from numba import cuda

THREADS = 32  # threads per block: a power of two


@cuda.jit
def block_sum_kernel(x, partial):
    sh = cuda.shared.array(THREADS, numba.float32)  # one slot per thread of the block
    tid = cuda.threadIdx.x
    i = cuda.blockIdx.x * cuda.blockDim.x + tid
    sh[tid] = x[i] if i < x.shape[0] else 0.0  # the last block pads with zeros
    cuda.syncthreads()  # every slot is loaded before anyone reads a neighbour's
    s = cuda.blockDim.x // 2
    while s > 0:
        if tid < s:
            sh[tid] += sh[tid + s]
        cuda.syncthreads()  # this step's sums are written before the next step reads them
        s //= 2
    if tid == 0:
        partial[cuda.blockIdx.x] = sh[0]


def reduce_sum(x: torch.Tensor) -> float:
    blocks = math.ceil(x.shape[0] / THREADS)
    partial = torch.zeros(blocks, dtype=torch.float32).numpy()
    block_sum_kernel[blocks, THREADS](x.numpy(), partial)
    total = 0.0
    for p in partial:  # a handful of numbers: the host adds them
        total += float(p)
    return total
