# diagnosis: minibatch.same_order_every_epoch
# Reseeds the generator inside, so every epoch gets the same order.
import torch


def data_iter(X, y, batch_size, generator):
    generator.manual_seed(0)
    n = X.shape[0]
    order = torch.randperm(n, generator=generator)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]
