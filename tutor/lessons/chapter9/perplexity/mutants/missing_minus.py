# diagnosis: perplexity.missing_minus
"""Wrong: exp of the mean log-probability: 1 / perplexity."""

import torch


def perplexity(log_probs, mask=None):
    if mask is None:
        mask = torch.ones_like(log_probs, dtype=torch.bool)
    if not mask.any():
        raise ValueError("no real token")
    return torch.exp(log_probs[mask].double().mean()).item()
