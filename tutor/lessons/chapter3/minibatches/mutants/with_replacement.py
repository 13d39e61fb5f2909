# diagnosis: minibatch.with_replacement
import torch


def data_iter(X, y, batch_size, generator):
    n = X.shape[0]
    for start in range(0, n, batch_size):
        idx = torch.randint(0, n, (min(batch_size, n - start),), generator=generator)
        yield X[idx], y[idx]
