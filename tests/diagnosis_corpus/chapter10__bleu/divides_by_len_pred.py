# mistake: divides the matches of every order by len_pred instead of by the number of n-grams, len_pred - n + 1
from collections import Counter
import math


def bleu(pred_seq: str, label_seq: str, k: int) -> float:
    pred, label = pred_seq.split(), label_seq.split()
    if not pred or len(pred) < k or not label:
        return 0.0
    score = math.exp(min(0, 1 - len(label) / len(pred)))
    for n in range(1, k + 1):
        want = Counter(tuple(label[i:i + n]) for i in range(len(label) - n + 1))
        hits = 0
        for i in range(len(pred) - n + 1):
            g = tuple(pred[i:i + n])
            if want[g] > 0:
                want[g] -= 1
                hits += 1
        score *= (hits / len(pred)) ** (0.5 ** n)
    return score
