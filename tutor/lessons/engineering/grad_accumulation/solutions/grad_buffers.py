"""Collect the gradients in buffers of our own with autograd.grad, then hand them to the optimizer."""
import torch


def accumulate_step(model, optimizer, micro_batches, loss_fn):
    params = [p for p in model.parameters() if p.requires_grad]
    sums = [torch.zeros_like(p) for p in params]
    count = 0
    weighted_loss = 0.0
    for x, t in micro_batches:
        n = x.shape[0]
        loss = loss_fn(model(x), t)
        grads = torch.autograd.grad(loss, params, allow_unused=True)
        for s, g in zip(sums, grads):
            if g is not None:
                s.add_(g, alpha=n)  # back to a sum over samples
        weighted_loss += loss.item() * n
        count += n
    for p, s in zip(params, sums):
        p.grad = s / count
    optimizer.step()
    for p in params:
        p.grad = None
    return weighted_loss / count
