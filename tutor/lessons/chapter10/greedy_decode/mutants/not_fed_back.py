# diagnosis: greedy.not_fed_back
"""Wrong: every step feeds bos again instead of the previous step's choice."""

import torch


def greedy_decode(step_fn, state, batch_size, bos, eos, pad, max_len):
    inputs = torch.full((batch_size,), bos, dtype=torch.long)
    finished = torch.zeros(batch_size, dtype=torch.bool)
    lengths = torch.full((batch_size,), max_len, dtype=torch.long)
    columns = []
    for step in range(1, max_len + 1):
        logits, state = step_fn(inputs, state)
        choice = logits.argmax(dim=-1)
        choice = torch.where(finished, torch.full_like(choice, pad), choice)
        columns.append(choice)
        just_finished = ~finished & (choice == eos)
        lengths = torch.where(just_finished, torch.full_like(lengths, step), lengths)
        finished = finished | just_finished
        if bool(finished.all()):
            break
        inputs = torch.full((batch_size,), bos, dtype=torch.long)
    return torch.stack(columns, dim=1), lengths
