"""Correct: the number of batches computed first, ceil(n / b), and index_select."""

import math

import torch


def data_iter(X, y, batch_size, generator):
    n = X.size(0)
    perm = torch.randperm(n, generator=generator)
    for k in range(math.ceil(n / batch_size)):
        idx = perm[k * batch_size:min((k + 1) * batch_size, n)]
        yield X.index_select(0, idx), y.index_select(0, idx)
