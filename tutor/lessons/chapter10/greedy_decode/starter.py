"""Chapter 10 - greedy decoding of a batch.

Write greedy_decode: run an encoder-decoder's decoder one step at a time over a whole batch,
feeding each row its own previous prediction, until every row has said eos or max_len steps.
Read the lesson with `tutor start`; `tutor hint chapter10/greedy_decode` when stuck.
Grade it with: tutor check chapter10/greedy_decode
"""

from typing import Any, Callable

import torch


def greedy_decode(
    step_fn: Callable[[torch.Tensor, Any], tuple[torch.Tensor, Any]],
    state: Any,
    batch_size: int,
    bos: int,
    eos: int,
    pad: int,
    max_len: int,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Greedy decoding of a batch.

    step_fn(tokens, state) -> (logits, state): tokens is a (B,) int64 tensor (one token per row),
    logits a (B, V) tensor of next-token scores. Call it on the whole batch once per step,
    bos in every row first, then each row's previous choice; carry the state it returns.

    Returns (tokens, lengths): tokens an int64 (B, L) tensor, L = the number of steps taken,
    each row its tokens up to and including its first eos, then pad; lengths an int64 (B,)
    tensor, the number of tokens of each row (eos counted; max_len if a row never says eos).
    Stops once every row has said eos, or after max_len steps.
    """
    raise NotImplementedError("greedy_decode: write me")
