# mistake: averages each sentence's precision p_n over the corpus instead of dividing pooled matches by pooled totals
from collections import Counter
import math


def corpus_bleu(hypotheses: list[str], references: list[str]) -> float:
    precisions = [[] for _ in range(4)]
    c = r = 0
    for hyp, ref in zip(hypotheses, references):
        h, rf = hyp.split(), ref.split()
        c += len(h)
        r += len(rf)
        for n in range(1, 5):
            total = len(h) - n + 1
            if total <= 0:
                continue
            hc = Counter(tuple(h[i:i + n]) for i in range(total))
            rc = Counter(tuple(rf[i:i + n]) for i in range(len(rf) - n + 1))
            precisions[n - 1].append(sum((hc & rc).values()) / total)
    if c == 0:
        return 0.0
    p = [sum(ps) / len(ps) if ps else 0.0 for ps in precisions]
    if min(p) == 0:
        return 0.0
    bp = 1.0 if c >= r else math.exp(1 - r / c)
    return 100 * bp * math.exp(sum(math.log(x) for x in p) / 4)
