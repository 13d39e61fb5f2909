"""Correct: plain Python over the flattened values, with an exactly rounded sum."""

import math


def perplexity(log_probs, mask=None):
    values = log_probs.reshape(-1).tolist()
    keep = [True] * len(values) if mask is None else mask.reshape(-1).tolist()
    real = [v for v, k in zip(values, keep) if k]
    if not real:
        raise ValueError("the mask selects no token")
    return math.exp(-math.fsum(real) / len(real))
