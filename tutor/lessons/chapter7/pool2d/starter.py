"""Chapter 7 - pool2d.

Write pool2d(X, pool_size, stride=None, padding=0, mode="max"): max or average pooling over
each channel. Read the lesson with `tutor start`; `tutor hint chapter7/pool2d` when stuck.
Grade it with: tutor check chapter7/pool2d
"""

import torch


def pool2d(X: torch.Tensor, pool_size, stride=None, padding=0, mode: str = "max") -> torch.Tensor:
    """X (N, C, H, W); pool_size, stride (default: pool_size) and padding: int or (h, w); mode "max" or "avg".

    Same result as torch.nn.functional.max_pool2d / avg_pool2d with their defaults (avg counts
    the padding zeros).
    """
    raise NotImplementedError("pool2d: write me")
