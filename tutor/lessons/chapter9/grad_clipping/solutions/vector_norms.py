"""Correct: per-tensor norms with torch.linalg.vector_norm, then the norm of the norms; torch's 1e-6 and clamp."""

import torch


def clip_gradients(params, max_norm):
    grads = [p.grad for p in list(params) if p.grad is not None]
    if len(grads) == 0:
        return 0.0
    norms = torch.stack([torch.linalg.vector_norm(g.detach(), 2) for g in grads])
    total = torch.linalg.vector_norm(norms, 2)
    coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    for g in grads:
        g.detach().mul_(coef.to(g.dtype))
    return total.item()
