# diagnosis: bleu.ngram_count
"""Wrong: every order divides its matches by len(pred) instead of by its number of n-grams, len(pred) - n + 1."""

import math
from collections import Counter


def bleu(pred_seq: str, label_seq: str, k: int) -> float:
    pred = pred_seq.split(" ") if pred_seq else []
    label = label_seq.split(" ") if label_seq else []
    if len(pred) < max(k, 1):          # empty, or too short to have a k-gram
        return 0.0
    score = math.exp(min(0.0, 1.0 - len(label) / len(pred)))
    for n in range(1, k + 1):
        available = Counter(tuple(label[i:i + n]) for i in range(len(label) - n + 1))
        matches = 0
        for i in range(len(pred) - n + 1):
            gram = tuple(pred[i:i + n])
            if available[gram] > 0:    # clipping: each label n-gram can be matched once
                matches += 1
                available[gram] -= 1
        score *= (matches / len(pred)) ** (0.5 ** n)
    return score
