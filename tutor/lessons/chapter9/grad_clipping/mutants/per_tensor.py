# diagnosis: clip.per_tensor
"""Wrong: clips every parameter's gradient by its own norm."""

import torch


def clip_gradients(params, max_norm):
    total_sq = 0.0
    for p in params:
        if p.grad is None:
            continue
        norm = float(p.grad.norm())
        total_sq += norm ** 2
        if norm > max_norm:
            p.grad.mul_(max_norm / norm)
    return total_sq ** 0.5
