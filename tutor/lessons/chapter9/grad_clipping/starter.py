"""Chapter 9 - gradient clipping by the global norm.

Write clip_gradients(params, max_norm): rescale all gradients together so that their global norm
is at most max_norm, in place, and return the norm they had. `tutor hint chapter9/grad_clipping`
when stuck. Grade it with: tutor check chapter9/grad_clipping
"""

from collections.abc import Iterable

import torch


def clip_gradients(params: Iterable[torch.Tensor], max_norm: float) -> float:
    """Clip the gradients of `params` (an iterable of tensors; those whose .grad is None are skipped).

    ‖g‖ is the norm of all gradients together: √(Σ over every parameter and entry of g²). When
    ‖g‖ > max_norm, multiply every .grad in place by max_norm / ‖g‖ (torch divides by ‖g‖ + 1e-6;
    either is accepted); otherwise leave them alone. Returns ‖g‖ before clipping, a Python float.
    """
    raise NotImplementedError("clip_gradients: write me")
