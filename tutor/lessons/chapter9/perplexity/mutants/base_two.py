# diagnosis: perplexity.base_two
"""Wrong: raises 2 to the mean negative log-likelihood, which is in nats (natural log)."""

import torch


def perplexity(log_probs, mask=None):
    if mask is None:
        mask = torch.ones_like(log_probs, dtype=torch.bool)
    if not mask.any():
        raise ValueError("no real token")
    return (2.0 ** (-log_probs[mask].double().mean())).item()
