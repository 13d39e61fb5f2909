# diagnosis: minibatch.ignores_generator
# The book's version: Python's global random.shuffle, not the generator.
import random

import torch


def data_iter(X, y, batch_size, generator):
    n = len(X)
    indices = list(range(n))
    random.shuffle(indices)
    for i in range(0, n, batch_size):
        idx = torch.tensor(indices[i:min(i + batch_size, n)])
        yield X[idx], y[idx]
