# verdict: forbidden
import torch


def accumulate_step(model, optimizer, micro_batches, loss_fn):
    wrapped = torch.nn.parallel.DistributedDataParallel(model)
    optimizer.zero_grad()
    N = sum(len(x) for x, _ in micro_batches)
    total = 0.0
    for x, t in micro_batches:
        loss = loss_fn(wrapped(x), t) * (len(x) / N)
        loss.backward()
        total += loss.item()
    optimizer.step()
    return total
