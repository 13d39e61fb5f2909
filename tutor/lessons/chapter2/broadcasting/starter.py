"""Chapter 2 - broadcasting.

Write broadcast_shape(a, b): the shape that broadcasting produces, and
pairwise_distances(X, Y): every distance between the rows of X and the rows of Y, without loops.
Read the lesson with `tutor start`; `tutor hint chapter2/broadcasting` when stuck.
Grade it with: tutor check chapter2/broadcasting
"""

import torch


def broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The broadcast shape of a and b as a tuple of ints; ValueError when they do not broadcast."""
    raise NotImplementedError("broadcast_shape: write me")


def pairwise_distances(X: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
    """X (n, d), Y (m, d) -> D (n, m) with D[i, j] = ||X[i] - Y[j]||, without Python loops."""
    raise NotImplementedError("pairwise_distances: write me")
