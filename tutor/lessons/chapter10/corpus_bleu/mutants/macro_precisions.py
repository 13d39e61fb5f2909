# diagnosis: corpus_bleu.macro_precisions
"""Wrong: each order's precision is the mean of the sentences' precisions, not pooled matches over pooled totals."""

import math
from collections import Counter

MAX_ORDER = 4


def ngram_counts(tokens, n):
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def corpus_bleu(hypotheses: list[str], references: list[str]) -> float:
    if len(hypotheses) != len(references):
        raise ValueError("one reference per hypothesis")
    precisions = [[] for _ in range(MAX_ORDER)]
    hyp_len = ref_len = 0
    for hyp, ref in zip(hypotheses, references):
        h, r = hyp.split(), ref.split()
        hyp_len += len(h)
        ref_len += len(r)
        for n in range(1, MAX_ORDER + 1):
            if len(h) - n + 1 > 0:  # each sentence's own precision, averaged below
                hc, rc = ngram_counts(h, n), ngram_counts(r, n)
                precisions[n - 1].append(sum(min(c, rc[g]) for g, c in hc.items()) / (len(h) - n + 1))
    p = [sum(ps) / len(ps) if ps else 0.0 for ps in precisions]
    if hyp_len == 0 or min(p) == 0:
        return 0.0
    brevity = 1.0 if hyp_len >= ref_len else math.exp(1 - ref_len / hyp_len)
    log_mean = sum(math.log(x) for x in p) / MAX_ORDER
    return 100.0 * brevity * math.exp(log_mean)
