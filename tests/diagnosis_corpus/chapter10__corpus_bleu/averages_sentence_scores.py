# mistake: computes a BLEU score per sentence and averages them instead of pooling the counts over the corpus
from collections import Counter
import math


def _sentence_bleu(h, r):
    h, r = h.split(), r.split()
    if not h:
        return 0.0
    logs = 0.0
    for n in range(1, 5):
        hc = Counter(tuple(h[i:i + n]) for i in range(len(h) - n + 1))
        rc = Counter(tuple(r[i:i + n]) for i in range(len(r) - n + 1))
        m = sum((hc & rc).values())
        total = max(0, len(h) - n + 1)
        if m == 0 or total == 0:
            return 0.0
        logs += math.log(m / total)
    bp = 1.0 if len(h) >= len(r) else math.exp(1 - len(r) / len(h))
    return 100 * bp * math.exp(logs / 4)


def corpus_bleu(hypotheses: list[str], references: list[str]) -> float:
    if not hypotheses:
        return 0.0
    return sum(_sentence_bleu(h, r) for h, r in zip(hypotheses, references)) / len(hypotheses)
