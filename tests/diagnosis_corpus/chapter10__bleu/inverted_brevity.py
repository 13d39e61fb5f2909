# mistake: swaps the lengths in the brevity penalty, 1 - len_pred / len_label, which penalises long predictions instead of short ones
from collections import Counter
from math import exp


def _ngrams(tokens, n):
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def bleu(pred_seq: str, label_seq: str, k: int) -> float:
    p, l = pred_seq.split(), label_seq.split()
    if not p or len(p) < k or not l:
        return 0.0
    result = exp(min(0.0, 1 - len(p) / len(l)))
    for n in range(1, k + 1):
        matched = sum((_ngrams(p, n) & _ngrams(l, n)).values())
        result *= (matched / (len(p) - n + 1)) ** (1 / 2 ** n)
    return result
