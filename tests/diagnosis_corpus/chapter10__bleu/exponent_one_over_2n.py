# mistake: reads the exponent 1/2^n as 1/(2n), which agrees for n = 1, 2 but not beyond
import collections
import math


def bleu(pred_seq: str, label_seq: str, k: int) -> float:
    pred_tokens = pred_seq.split()
    label_tokens = label_seq.split()
    len_pred, len_label = len(pred_tokens), len(label_tokens)
    if len_pred == 0 or len_label == 0 or len_pred < k:
        return 0.0
    score = math.exp(min(0, 1 - len_label / len_pred))
    for n in range(1, k + 1):
        counts = collections.Counter(tuple(label_tokens[i:i + n]) for i in range(len_label - n + 1))
        matches = 0
        for i in range(len_pred - n + 1):
            gram = tuple(pred_tokens[i:i + n])
            if counts[gram] > 0:
                matches += 1
                counts[gram] -= 1
        score *= math.pow(matches / (len_pred - n + 1), 1 / (2 * n))
    return score
