"""Chapter 10 - beam search.

Write beam_search: keep the beam_size most likely sequences at every step, collect every kept
sequence as a candidate, and rank the candidates by length-normalised log-probability.
Read the lesson with `tutor start`; `tutor hint chapter10/beam_search` when stuck.
Grade it with: tutor check chapter10/beam_search
"""

import torch


def beam_search(step_fn, bos, eos, beam_size, max_len, alpha=0.75):
    """Beam search over a language model.

    step_fn(prefix: list[int]) -> 1-D tensor of log-probabilities of the next token; the prefix
    starts with bos. Returns [(tokens without bos, score), ...] for every kept sequence, best
    score first, where score = log P(tokens) / len(tokens) ** alpha.
    """
    raise NotImplementedError("beam_search: write me")
