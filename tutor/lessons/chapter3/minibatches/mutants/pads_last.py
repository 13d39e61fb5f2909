# diagnosis: minibatch.pads_last
# Wraps around to fill the last batch up to batch_size.
import torch


def data_iter(X, y, batch_size, generator):
    n = X.shape[0]
    order = torch.randperm(n, generator=generator)
    for start in range(0, n, batch_size):
        idx = torch.arange(start, start + batch_size) % n
        idx = order[idx]
        yield X[idx], y[idx]
