# mistake: returns the score on the 0-1 scale of the book and nltk instead of sacrebleu's 0-100
from collections import Counter
from math import exp, log


def corpus_bleu(hypotheses: list[str], references: list[str]) -> float:
    match = [0, 0, 0, 0]
    total = [0, 0, 0, 0]
    hyp_len = ref_len = 0
    for hyp, ref in zip(hypotheses, references):
        ht, rt = hyp.split(), ref.split()
        hyp_len += len(ht)
        ref_len += len(rt)
        for n in range(4):
            hg = Counter(zip(*[ht[i:] for i in range(n + 1)]))
            rg = Counter(zip(*[rt[i:] for i in range(n + 1)]))
            match[n] += sum(min(cnt, rg[g]) for g, cnt in hg.items())
            total[n] += max(0, len(ht) - n)
    if hyp_len == 0 or 0 in match:
        return 0.0
    bp = 1.0 if hyp_len >= ref_len else exp(1 - ref_len / hyp_len)
    return bp * exp(sum(log(m / t) for m, t in zip(match, total)) / 4)
