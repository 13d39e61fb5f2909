# diagnosis: clip.generator_consumed
"""Wrong: walks over params twice; a generator such as model.parameters() is empty the second time."""

import torch


def clip_gradients(params, max_norm):
    total = float(torch.sqrt(sum((p.grad.double() ** 2).sum() for p in params if p.grad is not None)))
    if total > max_norm:
        for p in params:
            if p.grad is not None:
                p.grad.mul_(max_norm / total)
    return total
