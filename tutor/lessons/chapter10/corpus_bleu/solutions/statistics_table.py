"""Correct: sufficient statistics per sentence in a list, summed with zip, precisions in the log domain."""

import math
from collections import Counter


def stats(hyp, ref):
    h, r = hyp.split(), ref.split()
    row = [len(h), len(r)]
    for n in (1, 2, 3, 4):
        hg = Counter(zip(*[h[i:] for i in range(n)]))
        rg = Counter(zip(*[r[i:] for i in range(n)]))
        row += [sum((hg & rg).values()), sum(hg.values())]
    return row


def corpus_bleu(hypotheses, references):
    totals = [sum(col) for col in zip(*(stats(h, r) for h, r in zip(hypotheses, references)))]
    if not totals:
        return 0.0
    c, r, counts = totals[0], totals[1], totals[2:]
    pairs = list(zip(counts[0::2], counts[1::2]))
    if c == 0 or any(m == 0 for m, _ in pairs):
        return 0.0
    log_bp = min(0.0, 1.0 - r / c)
    return 100 * math.exp(log_bp + 0.25 * sum(math.log(m) - math.log(t) for m, t in pairs))
