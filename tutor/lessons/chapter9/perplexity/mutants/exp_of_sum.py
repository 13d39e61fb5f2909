# diagnosis: perplexity.exp_of_sum
"""Wrong: exp of the total negative log-likelihood, not of its mean."""

import torch


def perplexity(log_probs, mask=None):
    if mask is None:
        mask = torch.ones_like(log_probs, dtype=torch.bool)
    if not mask.any():
        raise ValueError("no real token")
    return torch.exp(-log_probs[mask].double().sum()).item()
