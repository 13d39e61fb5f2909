"""Correct: every gradient flattened into one vector; the clipped values written back with copy_."""

import math

import torch


def clip_gradients(params, max_norm: float) -> float:
    with_grad = [p for p in params if p.grad is not None]
    if not with_grad:
        return 0.0
    flat = torch.cat([p.grad.reshape(-1).to(torch.float64) for p in with_grad])
    norm = math.sqrt(float(flat @ flat))
    if norm > max_norm:
        factor = max_norm / norm
        for p in with_grad:
            p.grad.copy_(p.grad * factor)
    return norm
