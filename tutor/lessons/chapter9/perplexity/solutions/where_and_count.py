"""Correct: torch.where keeps the padding out of the sum; the mask's sum counts the tokens."""

import torch


def perplexity(log_probs, mask=None):
    if mask is None:
        mask = torch.ones(log_probs.shape, dtype=torch.bool)
    count = int(mask.sum())
    if count == 0:
        raise ValueError("no real token")
    nll = torch.where(mask, -log_probs.double(), torch.zeros((), dtype=torch.float64))
    return float(torch.exp(nll.sum() / count))
