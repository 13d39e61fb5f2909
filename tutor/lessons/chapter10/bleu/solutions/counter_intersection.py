"""Correct: Counter intersection for the clipped counts, the product taken in the log domain."""

import math
from collections import Counter


def ngrams(tokens, n):
    return Counter(zip(*(tokens[i:] for i in range(n))))


def bleu(pred_seq, label_seq, k):
    pred, label = pred_seq.split(), label_seq.split()
    if not pred or len(pred) < k:
        return 0.0
    log_score = min(0.0, 1 - len(label) / len(pred))
    for n in range(1, k + 1):
        clipped = sum((ngrams(pred, n) & ngrams(label, n)).values())
        if clipped == 0:
            return 0.0
        log_score += math.log(clipped / (len(pred) - n + 1)) / 2 ** n
    return math.exp(log_score)
