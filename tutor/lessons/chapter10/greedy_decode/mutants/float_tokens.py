# diagnosis: greedy.float_tokens
"""Wrong: the output matrix comes from torch.zeros without a dtype, so the token ids are floats."""

import torch


def greedy_decode(step_fn, state, batch_size, bos, eos, pad, max_len):
    out = torch.zeros(batch_size, max_len) + pad
    lengths = torch.zeros(batch_size, dtype=torch.long)
    done = torch.zeros(batch_size, dtype=torch.bool)
    x = torch.full((batch_size,), bos)
    steps = 0
    for t in range(max_len):
        logits, state = step_fn(x, state)
        x = logits.argmax(dim=1)
        out[:, t] = torch.where(done, out[:, t], x.float())
        lengths += (~done).long()
        done = done | (x == eos)
        steps = t + 1
        if bool(done.all()):
            break
    return out[:, :steps], lengths
