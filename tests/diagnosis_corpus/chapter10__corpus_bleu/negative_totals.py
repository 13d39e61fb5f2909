# mistake: counts a hypothesis's n-grams as len - n + 1 without max(0, ...), so hypotheses shorter than n subtract from the totals
from collections import Counter
import math


def ngrams(tokens, n):
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def corpus_bleu(hypotheses: list[str], references: list[str]) -> float:
    matches = {n: 0 for n in range(1, 5)}
    totals = {n: 0 for n in range(1, 5)}
    c = r = 0
    for hyp, ref in zip(hypotheses, references):
        h, rr = hyp.split(), ref.split()
        c, r = c + len(h), r + len(rr)
        for n in range(1, 5):
            matches[n] += sum((ngrams(h, n) & ngrams(rr, n)).values())
            totals[n] += len(h) - n + 1
    if c == 0 or any(matches[n] == 0 for n in matches):
        return 0.0
    log_p = sum(math.log(matches[n] / totals[n]) for n in range(1, 5)) / 4
    bp = 1.0 if c >= r else math.exp(1 - r / c)
    return 100.0 * bp * math.exp(log_p)
