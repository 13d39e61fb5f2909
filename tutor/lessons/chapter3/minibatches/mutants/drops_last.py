# diagnosis: minibatch.drops_last
import torch


def data_iter(X, y, batch_size, generator):
    n = X.shape[0]
    order = torch.randperm(n, generator=generator)
    for k in range(n // batch_size):
        idx = order[k * batch_size:(k + 1) * batch_size]
        yield X[idx], y[idx]
