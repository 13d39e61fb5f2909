# diagnosis: perplexity.empty
"""Wrong: with no real token the mean is 0/0 = NaN, returned as if it were a perplexity."""

import torch


def perplexity(log_probs, mask=None):
    if mask is None:
        mask = torch.ones_like(log_probs, dtype=torch.bool)
    return torch.exp(-log_probs[mask].double().mean()).item()
