"""Per-sample losses summed, divided by the total count known in advance."""
import torch


def accumulate_step(model, optimizer, micro_batches, loss_fn):
    total_samples = 0
    for x, _ in micro_batches:
        total_samples += x.size(0)
    for p in model.parameters():
        p.grad = None
    running = torch.zeros(())
    for x, t in micro_batches:
        mean_loss = loss_fn(model(x), t)
        summed = mean_loss * x.size(0)  # the sum of its per-sample losses
        (summed / total_samples).backward()
        running += summed.detach().double()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return float(running / total_samples)
