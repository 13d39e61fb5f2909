"""The mask from torch.bernoulli: each entry is 1 with probability 1 − p."""
import torch


def dropout(X, p, training=True, generator=None):
    if p < 0 or p > 1:
        raise ValueError("p must be a probability")
    if not training:
        return X
    if p == 1:
        return torch.zeros_like(X)
    mask = torch.bernoulli(torch.full_like(X, 1 - p), generator=generator)
    return mask * X * (1 / (1 - p))
