"""Correct: Tensor.unfold cuts the subsequences; sequential batches come from a reshape and split."""

import torch


def partition_corpus(corpus: torch.Tensor, batch_size: int, num_steps: int, *, sequential: bool = False,
                     offset: int | None = None,
                     generator: torch.Generator | None = None) -> list[tuple[torch.Tensor, torch.Tensor]]:
    if offset is None:
        offset = int(torch.randint(num_steps, (1,), generator=generator)[0])
    inputs, targets = corpus[offset:-1], corpus[offset + 1:]
    if sequential:
        usable = len(inputs) // batch_size * batch_size
        rows_x = inputs[:usable].view(batch_size, -1)
        rows_y = targets[:usable].view(batch_size, -1)
        full = rows_x.shape[1] // num_steps * num_steps
        if full == 0:
            return []
        pieces_x = torch.split(rows_x[:, :full], num_steps, dim=1)
        pieces_y = torch.split(rows_y[:, :full], num_steps, dim=1)
        return [(x.clone(), y.clone()) for x, y in zip(pieces_x, pieces_y)]
    if len(inputs) < num_steps:
        return []
    X_all = inputs.unfold(0, num_steps, num_steps)   # (m, num_steps): non-overlapping windows
    Y_all = targets.unfold(0, num_steps, num_steps)
    shuffled = torch.randperm(X_all.shape[0], generator=generator)
    out = []
    for b in range(X_all.shape[0] // batch_size):
        pick = shuffled[b * batch_size:(b + 1) * batch_size]
        out.append((X_all[pick], Y_all[pick]))
    return out
