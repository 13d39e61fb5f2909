"""Chapter 2 - in_place_update.

Write sgd_update_(params, grads, lr): p <- p - lr * g for every pair, in each parameter's own memory.
Read the lesson with `tutor start`; `tutor hint chapter2/in_place_update` when stuck.
Grade it with: tutor check chapter2/in_place_update
"""

import torch


def sgd_update_(params: list[torch.Tensor], grads: list[torch.Tensor], lr: float) -> None:
    """One gradient-descent step written into the parameters' own memory; grads stay unchanged."""
    raise NotImplementedError("sgd_update_: write me")
