# diagnosis: clip.squared_norm
"""Wrong: uses the squared norm (forgets the square root)."""

import torch


def clip_gradients(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    total = float(sum((g.double() ** 2).sum() for g in grads))
    if total > max_norm:
        for g in grads:
            g.mul_(max_norm / total)
    return total
