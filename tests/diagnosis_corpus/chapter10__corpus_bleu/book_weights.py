# mistake: keeps the book's weights 1/2, 1/4, 1/8, 1/16 for the four orders instead of 1/4 each
from collections import Counter
import math


def corpus_bleu(hypotheses: list[str], references: list[str]) -> float:
    matches = [0] * 4
    totals = [0] * 4
    c = r = 0
    for hyp, ref in zip(hypotheses, references):
        h, rf = hyp.split(), ref.split()
        c += len(h)
        r += len(rf)
        for n in range(1, 5):
            hc = Counter(tuple(h[i:i + n]) for i in range(len(h) - n + 1))
            rc = Counter(tuple(rf[i:i + n]) for i in range(len(rf) - n + 1))
            matches[n - 1] += sum((hc & rc).values())
            totals[n - 1] += max(0, len(h) - n + 1)
    if c == 0 or min(matches) == 0:
        return 0.0
    bp = 1.0 if c >= r else math.exp(1 - r / c)
    score = bp
    for n in range(1, 5):
        score *= (matches[n - 1] / totals[n - 1]) ** (0.5 ** n)
    return 100 * score
