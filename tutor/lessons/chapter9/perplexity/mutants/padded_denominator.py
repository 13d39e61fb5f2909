# diagnosis: perplexity.padded_denominator
"""Wrong: zeroes the padding but divides by the number of all positions."""

import torch


def perplexity(log_probs, mask=None):
    if mask is None:
        mask = torch.ones_like(log_probs, dtype=torch.bool)
    if not mask.any():
        raise ValueError("no real token")
    nll = torch.where(mask, -log_probs.double(), torch.zeros((), dtype=torch.float64))
    return torch.exp(nll.sum() / nll.numel()).item()
