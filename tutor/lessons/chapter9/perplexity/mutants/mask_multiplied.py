# diagnosis: perplexity.padding_leaks
"""Wrong: multiplies by the mask, so a -inf in the padding becomes -inf * 0 = NaN."""

import torch


def perplexity(log_probs, mask=None):
    if mask is None:
        mask = torch.ones_like(log_probs, dtype=torch.bool)
    if not mask.any():
        raise ValueError("no real token")
    nll = -(log_probs.double() * mask).sum() / mask.sum()
    return torch.exp(nll).item()
