# mistake: drops the min(0, ...) from the brevity penalty, so predictions longer than the label are rewarded above 1
from collections import Counter
import math


def bleu(pred_seq: str, label_seq: str, k: int) -> float:
    pred = pred_seq.split()
    label = label_seq.split()
    if len(pred) == 0 or len(pred) < k or len(label) == 0:
        return 0.0
    bp = math.exp(1 - len(label) / len(pred))
    prod = 1.0
    for n in range(1, k + 1):
        pc = Counter(tuple(pred[i:i + n]) for i in range(len(pred) - n + 1))
        lc = Counter(tuple(label[i:i + n]) for i in range(len(label) - n + 1))
        m = sum(min(c, lc[g]) for g, c in pc.items())
        prod *= (m / (len(pred) - n + 1)) ** (0.5 ** n)
    return bp * prod
