# diagnosis: corpus_bleu.sentence_average
"""Wrong: the mean of sentence-level BLEU scores instead of BLEU of the pooled counts."""

import math
from collections import Counter


def sentence(hyp, ref):
    h, r = hyp.split(), ref.split()
    if not h:
        return 0.0
    logs = []
    for n in range(1, 5):
        hc = Counter(tuple(h[i:i + n]) for i in range(len(h) - n + 1))
        rc = Counter(tuple(r[i:i + n]) for i in range(len(r) - n + 1))
        m = sum((hc & rc).values())
        if m == 0:
            return 0.0
        logs.append(math.log(m / sum(hc.values())))
    bp = 1.0 if len(h) >= len(r) else math.exp(1 - len(r) / len(h))
    return 100 * bp * math.exp(sum(logs) / 4)


def corpus_bleu(hypotheses, references):
    scores = [sentence(h, r) for h, r in zip(hypotheses, references)]
    return sum(scores) / len(scores) if scores else 0.0
