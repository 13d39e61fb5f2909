"""Inputs and a detector of chapter9/perplexity: batches of padded sequences."""

import math

import numpy as np
import torch


def padded_batch(ctx, B, T, min_len=1, padding=None, dtype="float32", offset=0):
    """Log-probabilities of B sequences of random lengths in [min_len, T], padded to T; the padding keeps
    leftover values, or holds `padding` (which may be -inf: a correct answer never looks at it); mask is
    True on the real tokens."""
    g = ctx.generator(offset)
    log_probs = -(torch.rand(B, T, generator=g, dtype=torch.float64) * 4.0 + 0.05)
    lengths = torch.randint(min_len, T + 1, (B,), generator=g)
    lengths[0] = T  # at least one full row, so the padded width is really T
    mask = torch.arange(T)[None, :] < lengths[:, None]
    if padding is not None:
        log_probs = torch.where(mask, log_probs, torch.full((), float(padding), dtype=torch.float64))
    return {"log_probs": log_probs.to(getattr(torch, dtype)), "mask": mask}


def long_sequence(ctx, n=5000):
    """One long stream of tokens with a mean negative log-likelihood near 3: its sum is about 15 000."""
    g = ctx.generator()
    return -(torch.rand(n, generator=g, dtype=torch.float64) * 2.0 + 2.0).to(torch.float32)


def uniform_guess(ctx, vocab=50):
    """A model that spreads its probability evenly over `vocab` tokens."""
    return torch.full((3, 7), -math.log(vocab))


def sizes_call(inputs):
    lp, mask = inputs.get("log_probs"), inputs.get("mask")
    shape = lp.get("__tensor__") if isinstance(lp, dict) else getattr(lp, "shape", "?")
    real = f", {int(np.asarray(mask).sum())} real tokens" if isinstance(mask, np.ndarray) else ""
    return f"perplexity(log_probs of shape {tuple(shape)}, mask=...{real}) [seeded random input]"


def returns_a_tensor(got, expected):
    out = got.get("out") if isinstance(got, dict) else None
    if isinstance(out, np.ndarray) and out.size == 1 and isinstance(expected.get("out"), float):
        return "perplexity.not_a_float"
    return None
