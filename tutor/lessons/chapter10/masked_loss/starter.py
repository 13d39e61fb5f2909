"""Chapter 10 - Teacher forcing with a masked loss.

Write teacher_forcing_inputs (what the decoder reads while training: bos, then the target shifted
right by one) and masked_cross_entropy (the mean cross-entropy over the real tokens only, padding
left out). Read the lesson with `tutor start`, or ask `tutor hint chapter10/masked_loss` when stuck.
Grade it with: tutor check chapter10/masked_loss
"""

import torch


def teacher_forcing_inputs(targets: torch.Tensor, bos: int) -> torch.Tensor:
    """The decoder's inputs under teacher forcing, shape (B, T), targets' dtype.

    targets is (B, T) of token ids; row b of the result is bos followed by targets[b, :T-1].
    """
    raise NotImplementedError("teacher_forcing_inputs: write me")


def masked_cross_entropy(logits: torch.Tensor, targets: torch.Tensor, valid_len: torch.Tensor) -> torch.Tensor:
    """The mean cross-entropy over the real tokens, a 0-d tensor.

    logits is (B, T, V), targets (B, T) int64, valid_len (B,) int64. Position t of row b counts
    when t < valid_len[b]; the result is the sum of −log softmax(logits[b, t])[targets[b, t]] over
    those positions divided by how many there are (padding counts neither above nor below).
    """
    raise NotImplementedError("masked_cross_entropy: write me")
