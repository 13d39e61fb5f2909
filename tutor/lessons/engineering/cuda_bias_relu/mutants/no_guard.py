# diagnosis: cuda.no_bounds_check
import math

import numpy as np
import torch
from numba import cuda

THREADS = (16, 16)


@cuda.jit
def bias_relu_kernel(x, b, out):
    i, j = cuda.grid(2)
    v = x[i, j] + b[j]  # threads past the edge index out of range
    out[i, j] = v if v > 0 else 0.0


def bias_relu(x, b):
    out = np.empty(x.shape, dtype=np.float32)
    bias_relu_kernel[(math.ceil(x.shape[0] / 16), math.ceil(x.shape[1] / 16)), THREADS](x.numpy(), b.numpy(), out)
    return torch.from_numpy(out)
