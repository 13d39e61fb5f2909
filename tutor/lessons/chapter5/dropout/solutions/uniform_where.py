"""Uniform numbers in float64 filled in place, then torch.where between the scaled input and 0."""
import torch


def dropout(X, p, training=True, generator=None):
    if not (0 <= p <= 1):
        raise ValueError(f"invalid dropout probability {p}")
    if not training or p == 0:
        return X.clone()
    if p == 1:
        return X * 0.0
    u = torch.empty(X.shape, dtype=torch.float64).uniform_(0.0, 1.0, generator=generator)
    return torch.where(u < 1 - p, X / (1 - p), torch.zeros_like(X))
