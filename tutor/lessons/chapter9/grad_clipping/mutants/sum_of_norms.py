# diagnosis: clip.sum_of_norms
"""Wrong: adds up the parameters' norms instead of taking the root of the sum of squares."""

import torch


def clip_gradients(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    total = sum(float(g.norm()) for g in grads)
    if total > max_norm:
        for g in grads:
            g.mul_(max_norm / total)
    return total
