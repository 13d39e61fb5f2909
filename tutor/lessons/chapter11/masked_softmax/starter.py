"""Chapter 11 - masked softmax.

Write masked_softmax(X, valid_lens): a softmax over the last axis that ignores the key positions
past each row's valid length. Read the lesson with `tutor start`; `tutor hint
chapter11/masked_softmax` when stuck. Grade it with: tutor check chapter11/masked_softmax
"""

import torch


def masked_softmax(X: torch.Tensor, valid_lens: torch.Tensor | None) -> torch.Tensor:
    """Softmax over the last axis of X (B, Lq, Lk), keeping only key positions j < valid length.

    valid_lens: None (nothing masked), int (B,) (one length per batch element, for all its rows)
    or int (B, Lq) (one length per row). Masked entries are exactly 0; a row whose valid length
    is 0 is all zeros. Same shape and dtype as X; X is left unchanged.
    """
    raise NotImplementedError("masked_softmax: write me")
