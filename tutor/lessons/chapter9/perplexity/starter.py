"""Chapter 9 - perplexity.

Write perplexity(log_probs, mask=None): exp of the mean negative log-likelihood per real token.
`tutor hint chapter9/perplexity` when stuck. Grade it with: tutor check chapter9/perplexity
"""

import torch


def perplexity(log_probs: torch.Tensor, mask: torch.Tensor | None = None) -> float:
    """exp(−(1/n) Σ log p) over the n real tokens, as a Python float.

    log_probs: natural-log probabilities the model gave to each actual next token, any shape
    (for a batch, (B, T)). mask: a bool tensor of the same shape, True for real tokens and False
    for padding (whose log_probs may hold anything); None means every token is real.
    Raises ValueError when no token is real.
    """
    raise NotImplementedError("perplexity: write me")
