# diagnosis: corpus_bleu.unclipped
"""Wrong: every hypothesis n-gram found in the reference counts, however often the reference has it."""

import math
from collections import Counter

MAX_ORDER = 4


def ngram_counts(tokens, n):
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def corpus_bleu(hypotheses: list[str], references: list[str]) -> float:
    if len(hypotheses) != len(references):
        raise ValueError("one reference per hypothesis")
    matches = [0] * MAX_ORDER
    totals = [0] * MAX_ORDER
    hyp_len = ref_len = 0
    for hyp, ref in zip(hypotheses, references):
        h, r = hyp.split(), ref.split()
        hyp_len += len(h)
        ref_len += len(r)
        for n in range(1, MAX_ORDER + 1):
            hc, rc = ngram_counts(h, n), ngram_counts(r, n)
            matches[n - 1] += sum(c for g, c in hc.items() if rc[g] > 0)   # not clipped
            totals[n - 1] += max(0, len(h) - n + 1)
    if hyp_len == 0 or min(matches) == 0:
        return 0.0
    brevity = 1.0 if hyp_len >= ref_len else math.exp(1 - ref_len / hyp_len)
    log_mean = sum(math.log(m / t) for m, t in zip(matches, totals)) / MAX_ORDER
    return 100.0 * brevity * math.exp(log_mean)
