import torch


def partition_corpus(corpus: torch.Tensor, batch_size: int, num_steps: int, *, sequential: bool = False,
                     offset: int | None = None,
                     generator: torch.Generator | None = None) -> list[tuple[torch.Tensor, torch.Tensor]]:
    if offset is None:
        offset = int(torch.randint(0, num_steps, (1,), generator=generator))
    if sequential:
        num_tokens = (len(corpus) - offset - 1) // batch_size * batch_size
        Xs = corpus[offset:offset + num_tokens].reshape(batch_size, -1)
        Ys = corpus[offset + 1:offset + 1 + num_tokens].reshape(batch_size, -1)
        num_batches = Xs.shape[1] // num_steps
        return [(Xs[:, i * num_steps:(i + 1) * num_steps], Ys[:, i * num_steps:(i + 1) * num_steps])
                for i in range(num_batches)]
    m = (len(corpus) - offset - 1) // num_steps  # the -1 leaves room for the last target
    order = torch.randperm(m, generator=generator)
    starts = offset + order * num_steps
    batches = []
    for i in range(m // batch_size):
        chosen = starts[i * batch_size:(i + 1) * batch_size].tolist()
        X = torch.stack([corpus[s:s + num_steps] for s in chosen])
        Y = torch.stack([corpus[s + 1:s + 1 + num_steps] for s in chosen])
        batches.append((X, Y))
    return batches
