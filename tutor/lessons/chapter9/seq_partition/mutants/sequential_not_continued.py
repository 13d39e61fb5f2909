# diagnosis: seq.not_continued
"""Wrong: sequential mode takes neighbouring subsequences into one batch, so row r of the next batch does not continue row r."""

import torch


def partition_corpus(corpus, batch_size, num_steps, *, sequential=False, offset=None, generator=None):
    if offset is None:
        offset = int(torch.randint(0, num_steps, (1,), generator=generator))
    m = (len(corpus) - offset - 1) // num_steps
    if sequential:
        starts = [offset + k * num_steps for k in range(m)]
    else:
        starts = (offset + torch.randperm(m, generator=generator) * num_steps).tolist()
    out = []
    for i in range(m // batch_size):
        chosen = starts[i * batch_size:(i + 1) * batch_size]
        out.append((torch.stack([corpus[s:s + num_steps] for s in chosen]),
                    torch.stack([corpus[s + 1:s + 1 + num_steps] for s in chosen])))
    return out
