"""Chapter 11 - sinusoidal positional encoding.

Write positional_encoding(num_steps, num_hiddens): the table of sines and cosines that tells a
transformer where each token is. Read the lesson with `tutor start`; `tutor hint
chapter11/positional_encoding` when stuck. Grade it with: tutor check chapter11/positional_encoding
"""

import torch


def positional_encoding(num_steps: int, num_hiddens: int) -> torch.Tensor:
    """float32 tensor P of shape (num_steps, num_hiddens) with, for position i = 0, 1, … and pair j,
    P[i, 2j] = sin(i / 10000^(2j/num_hiddens)) and P[i, 2j+1] = cos(i / 10000^(2j/num_hiddens))."""
    raise NotImplementedError("positional_encoding: write me")
