"""What a worker that grades many files imports once, in its zygote, so that no job pays for it.

A job is a fork of the zygote: whatever the zygote imported is there for free, whatever the job
imports is charged to the learner's check and repeated in every job.
"""

from __future__ import annotations

from typing import Iterable

from tutor.engine import bans
from tutor.engine.catalog import Exercise

# torch._dynamo: the first call of any torch.optim.Optimizer method imports it (about 1.5 CPU s,
# charged to whichever check comes first); numba: what the CUDA exercises' kernels run on.
ALWAYS = ("numba", "torch._dynamo")


def for_exercises(exercises: Iterable[Exercise]) -> tuple[str, ...]:
    """ALWAYS, and the modules the exercises' bans import (scipy.signal for the convolution
    group: over a CPU second per job otherwise)."""
    names = dict.fromkeys(ALWAYS)
    for ex in exercises:
        try:
            names.update(dict.fromkeys(bans.modules_to_import(bans.expand(list(ex.bans), list(ex.banned)))))
        except bans.BanError:
            continue  # validate reports it; the grading reports it as a note
    return tuple(names)
