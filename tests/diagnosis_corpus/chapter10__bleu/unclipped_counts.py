# mistake: counts every predicted n-gram that occurs anywhere in the label, without clipping by the label's count
import math


def bleu(pred_seq: str, label_seq: str, k: int) -> float:
    pred, label = pred_seq.split(), label_seq.split()
    len_pred, len_label = len(pred), len(label)
    if len_pred == 0 or len_pred < k or len_label == 0:
        return 0.0
    score = math.exp(min(0, 1 - len_label / len_pred))
    for n in range(1, k + 1):
        label_ngrams = {tuple(label[i:i + n]) for i in range(len_label - n + 1)}
        matches = sum(1 for i in range(len_pred - n + 1) if tuple(pred[i:i + n]) in label_ngrams)
        score *= (matches / (len_pred - n + 1)) ** (0.5 ** n)
    return score
