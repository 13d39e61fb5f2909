# diagnosis: perplexity.mask_ignored
"""Wrong: averages over the padding too."""

import torch


def perplexity(log_probs, mask=None):
    if mask is None:
        mask = torch.ones_like(log_probs, dtype=torch.bool)
    if not mask.any():
        raise ValueError("no real token")
    real = log_probs.double()
    return torch.exp(-real.mean()).item()
