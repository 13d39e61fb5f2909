"""Chapter 8 - batch_norm.

Write batch_norm(): batch normalisation from scratch, in training mode (batch statistics, and
updated running averages) and in evaluation mode (the running averages), for (N, C) and
(N, C, H, W) inputs. Read the lesson with `tutor start`; `tutor hint chapter8/batch_norm` when stuck.
Grade it with: tutor check chapter8/batch_norm
"""

import torch


def batch_norm(X: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, running_mean: torch.Tensor,
               running_var: torch.Tensor, training: bool = True, momentum: float = 0.1,
               eps: float = 1e-5) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Normalise X per channel (axis 1), then scale by gamma and shift by beta.

    X is (N, C) or (N, C, H, W); gamma, beta, running_mean and running_var are (C,).
    Returns (Y, new_running_mean, new_running_var); the inputs are left unchanged.
    """
    raise NotImplementedError("batch_norm: write me")
