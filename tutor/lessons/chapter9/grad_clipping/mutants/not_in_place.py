# diagnosis: clip.not_written_back
"""Wrong: computes the clipped gradients but never writes them back."""

import torch


def clip_gradients(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    total = float(torch.sqrt(sum((g.double() ** 2).sum() for g in grads)))
    if total > max_norm:
        for g in grads:
            g = g * (max_norm / total)
    return total
