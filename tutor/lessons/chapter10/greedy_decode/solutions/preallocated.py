"""Correct, in another style: a (B, max_len) matrix of padding filled column by column with
arithmetic masks, trimmed to the steps taken; lengths counted from the alive mask."""

import torch


def greedy_decode(step_fn, state, batch_size, bos, eos, pad, max_len):
    out = torch.full((batch_size, max_len), pad, dtype=torch.int64)
    alive = torch.ones(batch_size, dtype=torch.int64)    # 1 while a row has not said eos
    lengths = torch.zeros(batch_size, dtype=torch.int64)
    prev = torch.full((batch_size,), bos, dtype=torch.int64)
    steps = 0
    while steps < max_len and int(alive.sum()) > 0:
        scores, state = step_fn(prev, state)
        best = torch.max(scores, dim=1).indices
        out[:, steps] = best * alive + pad * (1 - alive)
        lengths += alive
        alive = alive * (best != eos).long()
        prev = best
        steps += 1
    return out[:, :steps].clone(), lengths
