# diagnosis: greedy.bos_in_output
"""Wrong: the output starts with the bos column the decoding started from."""

import torch


def greedy_decode(step_fn, state, batch_size, bos, eos, pad, max_len):
    inputs = torch.full((batch_size,), bos, dtype=torch.long)
    finished = torch.zeros(batch_size, dtype=torch.bool)
    columns = [inputs]
    for _ in range(max_len):
        logits, state = step_fn(inputs, state)
        choice = torch.where(finished, torch.full_like(inputs, pad), logits.argmax(dim=-1))
        columns.append(choice)
        finished = finished | (choice == eos)
        if bool(finished.all()):
            break
        inputs = choice
    tokens = torch.stack(columns, dim=1)
    return tokens, (tokens != pad).sum(dim=1)
