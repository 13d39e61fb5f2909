# diagnosis: accum.equal_weights
def accumulate_step(model, optimizer, micro_batches, loss_fn):
    k = len(micro_batches)
    optimizer.zero_grad()
    total = 0.0
    for x, t in micro_batches:
        loss = loss_fn(model(x), t) / k
        loss.backward()
        total += loss.item()
    optimizer.step()
    optimizer.zero_grad()
    return total
