"""Correct: a permutation from argsort of uniform noise, cut with torch.split (returns a list)."""

import torch


def data_iter(X, y, batch_size, generator):
    perm = torch.rand(len(X), generator=generator).argsort()
    return [(X[idx], y[idx]) for idx in torch.split(perm, batch_size)]
