"""Chapter 3 - ridge_lasso.

Write penalized_step(w, b, X, y, lr, lam, penalty): one gradient step on the mean half squared
error plus an L2 ("l2") or L1 ("l1", proximal step) penalty on w, or none ("none").
Read the lesson with `tutor start`; `tutor hint chapter3/ridge_lasso` when stuck.
Grade it with: tutor check chapter3/ridge_lasso
"""

import torch


def penalized_step(w: torch.Tensor, b: torch.Tensor, X: torch.Tensor, y: torch.Tensor,
                   lr: float, lam: float, penalty: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Return new (w, b) after one step; b is never penalised; ValueError for an unknown penalty."""
    raise NotImplementedError("penalized_step: write me")
