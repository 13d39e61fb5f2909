"""Chapter 13 - gradient checkpointing.

Write checkpoint_sequential(functions, segments, input): run the functions in order, keeping
only each chunk's input during the forward pass and recomputing the chunk during backward.
Read the lesson with `tutor start`, or ask `tutor hint chapter13/checkpointing` when stuck.
Grade it with: tutor check chapter13/checkpointing
"""

import torch


def checkpoint_sequential(functions, segments, input):
    """Apply `functions` in order to `input`, split into `segments` chunks; every chunk but the last
    is recomputed during backward instead of storing its activations. Same output and gradients
    as `for f in functions: input = f(input)`."""
    raise NotImplementedError("checkpoint_sequential: write me")
