# diagnosis: any
# verdict: forbidden
# Counts the n-grams itself but lets sacrebleu's static compute_bleu combine them: still forbidden.
from collections import Counter

from sacrebleu.metrics.bleu import BLEU


def corpus_bleu(hypotheses, references):
    correct, total = [0] * 4, [0] * 4
    sys_len = ref_len = 0
    for hyp, ref in zip(hypotheses, references):
        h, r = hyp.split(), ref.split()
        sys_len, ref_len = sys_len + len(h), ref_len + len(r)
        for n in range(1, 5):
            hc = Counter(tuple(h[i:i + n]) for i in range(len(h) - n + 1))
            rc = Counter(tuple(r[i:i + n]) for i in range(len(r) - n + 1))
            correct[n - 1] += sum(min(c, rc[g]) for g, c in hc.items())
            total[n - 1] += max(len(h) - n + 1, 0)
    return BLEU.compute_bleu(correct, total, sys_len, ref_len).score
