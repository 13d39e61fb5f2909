# diagnosis: clip.always_scales
"""Wrong: rescales to max_norm even when the norm is already below it (small gradients get enlarged)."""

import torch


def clip_gradients(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    total = float(torch.sqrt(sum((g.double() ** 2).sum() for g in grads)))
    for g in grads:
        g.mul_(max_norm / total)
    return total
