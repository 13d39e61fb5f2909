# diagnosis: minibatch.blocks_only
# Shuffles the order of the batches, but every batch is a fixed block of consecutive examples.
import torch


def data_iter(X, y, batch_size, generator):
    starts = list(range(0, X.shape[0], batch_size))
    for k in torch.randperm(len(starts), generator=generator).tolist():
        s = starts[k]
        yield X[s:s + batch_size], y[s:s + batch_size]
