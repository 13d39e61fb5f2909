# diagnosis: perplexity.not_a_float
"""Wrong: returns a 0-d tensor instead of a Python float."""

import torch


def perplexity(log_probs, mask=None):
    if mask is None:
        mask = torch.ones_like(log_probs, dtype=torch.bool)
    if not mask.any():
        raise ValueError("no real token")
    return torch.exp(-log_probs[mask].double().mean())
