"""Correct, in another style: one Python list per row, the book's (B, 1) inputs, and the padding
added once at the end."""

import torch


def greedy_decode(step_fn, state, batch_size, bos, eos, pad, max_len):
    rows = [[] for _ in range(batch_size)]
    done = [False] * batch_size
    x = torch.tensor([[bos]] * batch_size)              # (B, 1), like the book's decoder input
    for _ in range(max_len):
        logits, state = step_fn(x, state)
        best = logits.argmax(dim=1).tolist()
        for b, token in enumerate(best):
            if not done[b]:
                rows[b].append(token)
                done[b] = token == eos
        if all(done):
            break
        x = torch.tensor(best).unsqueeze(1)
    width = max(len(r) for r in rows)
    tokens = torch.tensor([r + [pad] * (width - len(r)) for r in rows], dtype=torch.long)
    lengths = torch.tensor([len(r) for r in rows], dtype=torch.long)
    return tokens, lengths
