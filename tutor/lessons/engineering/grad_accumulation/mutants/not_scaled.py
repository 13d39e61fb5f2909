# diagnosis: accum.not_scaled
def accumulate_step(model, optimizer, micro_batches, loss_fn):
    N = sum(len(x) for x, _ in micro_batches)
    optimizer.zero_grad()
    total = 0.0
    for x, t in micro_batches:
        loss = loss_fn(model(x), t)
        loss.backward()  # k means added up: k times the big batch's gradient
        total += loss.item() * len(x) / N
    optimizer.step()
    optimizer.zero_grad()
    return total
