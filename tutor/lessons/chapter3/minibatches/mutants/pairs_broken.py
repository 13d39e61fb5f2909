# diagnosis: minibatch.pairs_broken
# Shuffles the features and the labels with two different permutations.
import torch


def data_iter(X, y, batch_size, generator):
    n = X.shape[0]
    px = torch.randperm(n, generator=generator)
    py = torch.randperm(n, generator=generator)
    for start in range(0, n, batch_size):
        yield X[px[start:start + batch_size]], y[py[start:start + batch_size]]
