# diagnosis: clip.returns_clipped
"""Wrong: returns the norm after clipping instead of the norm the gradients had."""

import torch


def clip_gradients(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    total = float(torch.sqrt(sum((g.double() ** 2).sum() for g in grads)))
    if total > max_norm:
        for g in grads:
            g.mul_(max_norm / total)
        total = max_norm
    return total
