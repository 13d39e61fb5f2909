"""Correct: start positions turned into index matrices; one gather per batch, no Python lists of slices."""

import torch


def partition_corpus(corpus, batch_size, num_steps, *, sequential=False, offset=None, generator=None):
    if offset is None:
        offset = torch.randint(0, num_steps, (1,), generator=generator).item()
    steps = torch.arange(num_steps)
    if sequential:
        row_length = (len(corpus) - offset - 1) // batch_size
        row_starts = offset + torch.arange(batch_size) * row_length
        batches = []
        for col in range(0, row_length - num_steps + 1, num_steps):
            index = row_starts[:, None] + col + steps[None, :]
            batches.append((corpus[index], corpus[index + 1]))
        return batches
    count = (len(corpus) - offset - 1) // num_steps
    starts = offset + num_steps * torch.randperm(count, generator=generator)
    batches = []
    for first in range(0, count - batch_size + 1, batch_size):
        index = starts[first:first + batch_size, None] + steps[None, :]
        batches.append((corpus[index], corpus[index + 1]))
    return batches
