"""Correct, in another style: a small Hypothesis class and heapq.nlargest for the pruning."""

import heapq
import math
from dataclasses import dataclass


@dataclass
class Hypothesis:
    tokens: tuple
    logp: float

    def finished(self, eos):
        return self.tokens[-1] == eos

    def score(self, alpha):
        return self.logp / math.pow(len(self.tokens), alpha)


def beam_search(step_fn, bos, eos, beam_size, max_len, alpha=0.75):
    pool = []
    frontier = [Hypothesis((), 0.0)]
    length = 0
    while frontier and length < max_len:
        length += 1
        grown = (Hypothesis(h.tokens + (tok,), h.logp + float(lp))
                 for h in frontier
                 for tok, lp in enumerate(step_fn([bos, *h.tokens])))
        kept = heapq.nlargest(beam_size, grown, key=lambda h: h.logp)
        pool += kept
        frontier = [h for h in kept if not h.finished(eos)]
    ranked = sorted(pool, key=lambda h: h.score(alpha), reverse=True)
    return [(list(h.tokens), h.score(alpha)) for h in ranked]
