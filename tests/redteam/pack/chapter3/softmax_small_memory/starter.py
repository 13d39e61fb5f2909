"""Chapter 4 - softmax.

Write softmax(X): probabilities over the last dimension of X. Read the lesson with
`tutor start` or see `tutor hint chapter4/softmax` when stuck.
Grade it with: tutor check chapter4/softmax
"""

import torch


def softmax(X: torch.Tensor) -> torch.Tensor:
    """Softmax over the last dimension; same shape and dtype as X; X is left unchanged."""
    raise NotImplementedError("softmax: write me")
