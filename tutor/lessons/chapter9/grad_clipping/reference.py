import torch


def clip_gradients(params, max_norm: float) -> float:
    grads = [p.grad for p in params if p.grad is not None]  # a list: params may be a one-pass generator
    if not grads:
        return 0.0
    total = torch.sqrt(sum((g.detach().double() ** 2).sum() for g in grads))
    scale = max_norm / (float(total) + 1e-6)
    if scale < 1.0:
        for g in grads:
            g.mul_(scale)  # in place: p.grad keeps its identity, as with torch's clip_grad_norm_
    return float(total)
