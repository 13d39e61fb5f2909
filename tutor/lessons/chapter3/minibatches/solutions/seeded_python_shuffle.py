"""Correct: the book's random.shuffle, but from a private random.Random seeded by the generator."""

import random

import torch


def data_iter(X, y, batch_size, generator):
    seed = int(torch.randint(0, 2**62, (1,), generator=generator))
    indices = list(range(len(y)))
    random.Random(seed).shuffle(indices)
    while indices:
        batch, indices = indices[:batch_size], indices[batch_size:]
        idx = torch.tensor(batch)
        yield X[idx], y[idx]
