# diagnosis: accum.one_graph
def accumulate_step(model, optimizer, micro_batches, loss_fn):
    N = sum(len(x) for x, _ in micro_batches)
    optimizer.zero_grad()
    losses = [loss_fn(model(x), t) * (len(x) / N) for x, t in micro_batches]
    total = sum(losses)
    total.backward()  # every micro-batch's activations were alive until here
    optimizer.step()
    optimizer.zero_grad()
    return total.item()
