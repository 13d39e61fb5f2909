# diagnosis: accum.zeroed_every_micro_batch
def accumulate_step(model, optimizer, micro_batches, loss_fn):
    N = sum(len(x) for x, _ in micro_batches)
    total = 0.0
    for x, t in micro_batches:
        optimizer.zero_grad()
        loss = loss_fn(model(x), t) * (len(x) / N)
        loss.backward()
        total += loss.item()
    optimizer.step()
    optimizer.zero_grad()
    return total
