# diagnosis: cuda.grid_too_small
import numpy as np
import torch
from numba import cuda

THREADS = (16, 16)


@cuda.jit
def bias_relu_kernel(x, b, out):
    i, j = cuda.grid(2)
    if i < x.shape[0] and j < x.shape[1]:
        v = x[i, j] + b[j]
        out[i, j] = v if v > 0 else 0.0


def bias_relu(x, b):
    out = np.zeros(x.shape, dtype=np.float32)
    blocks = (max(x.shape[0] // 16, 1), max(x.shape[1] // 16, 1))  # the remainder gets no block
    bias_relu_kernel[blocks, THREADS](x.numpy(), b.numpy(), out)
    return torch.from_numpy(out)
