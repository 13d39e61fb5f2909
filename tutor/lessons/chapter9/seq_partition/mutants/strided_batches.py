# diagnosis: seq.order
"""Wrong: deals the shuffled subsequences out round-robin (batch i gets order[i::num_batches]) instead of in consecutive runs."""

import torch


def partition_corpus(corpus, batch_size, num_steps, *, sequential=False, offset=None, generator=None):
    if offset is None:
        offset = int(torch.randint(0, num_steps, (1,), generator=generator))
    if sequential:
        num_tokens = (len(corpus) - offset - 1) // batch_size * batch_size
        Xs = corpus[offset:offset + num_tokens].reshape(batch_size, -1)
        Ys = corpus[offset + 1:offset + 1 + num_tokens].reshape(batch_size, -1)
        n = Xs.shape[1] // num_steps
        return [(Xs[:, i * num_steps:(i + 1) * num_steps], Ys[:, i * num_steps:(i + 1) * num_steps]) for i in range(n)]
    m = (len(corpus) - offset - 1) // num_steps
    order = torch.randperm(m, generator=generator)
    num_batches = m // batch_size
    starts = (offset + order[:num_batches * batch_size] * num_steps).tolist()
    out = []
    for i in range(num_batches):
        chosen = starts[i::num_batches]
        out.append((torch.stack([corpus[s:s + num_steps] for s in chosen]),
                    torch.stack([corpus[s + 1:s + 1 + num_steps] for s in chosen])))
    return out
