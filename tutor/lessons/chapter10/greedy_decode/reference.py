"""Reference for chapter10/greedy_decode: the whole batch advances one step per loop; a boolean
mask says which rows have finished, and their new columns are padding."""

import torch


def greedy_decode(step_fn, state, batch_size, bos, eos, pad, max_len):
    inputs = torch.full((batch_size,), bos, dtype=torch.long)
    finished = torch.zeros(batch_size, dtype=torch.bool)
    lengths = torch.full((batch_size,), max_len, dtype=torch.long)  # rows that never say eos
    columns = []
    for step in range(1, max_len + 1):
        logits, state = step_fn(inputs, state)           # the state goes on to the next step
        choice = logits.argmax(dim=-1)                   # the best token of each row: (B,)
        choice = torch.where(finished, torch.full_like(choice, pad), choice)
        columns.append(choice)
        just_finished = ~finished & (choice == eos)
        lengths = torch.where(just_finished, torch.full_like(lengths, step), lengths)
        finished = finished | just_finished
        if bool(finished.all()):
            break
        inputs = choice                                  # fed its own prediction, not a target
    return torch.stack(columns, dim=1), lengths
