# diagnosis: perplexity.per_sequence_mean
"""Wrong: averages each sequence first, then the sequences, so short sequences count as much as long ones."""

import torch


def perplexity(log_probs, mask=None):
    if mask is None:
        mask = torch.ones_like(log_probs, dtype=torch.bool)
    if not mask.any():
        raise ValueError("no real token")
    lp = torch.where(mask, log_probs.double(), torch.zeros((), dtype=torch.float64)).reshape(-1, log_probs.shape[-1])
    m = mask.reshape(-1, mask.shape[-1])
    per_sequence = -lp.sum(dim=-1) / m.sum(dim=-1)
    return torch.exp(per_sequence[m.any(dim=-1)].mean()).item()
