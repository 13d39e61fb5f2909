"""Correct, written like a first attempt: n-grams as joined strings in a plain dict."""

import math


def bleu(pred_seq, label_seq, k):
    pred_tokens = [t for t in pred_seq.split(" ") if t != ""]
    label_tokens = [t for t in label_seq.split(" ") if t != ""]
    len_pred, len_label = len(pred_tokens), len(label_tokens)
    if len_pred == 0:
        return 0.0
    score = math.exp(min(0, 1 - len_label / len_pred))
    for n in range(1, k + 1):
        if len_pred - n + 1 <= 0:
            return 0.0
        label_subs = {}
        for i in range(len_label - n + 1):
            key = " ".join(label_tokens[i:i + n])
            label_subs[key] = label_subs.get(key, 0) + 1
        num_matches = 0
        for i in range(len_pred - n + 1):
            key = " ".join(pred_tokens[i:i + n])
            if label_subs.get(key, 0) > 0:
                num_matches += 1
                label_subs[key] -= 1
        score *= math.pow(num_matches / (len_pred - n + 1), math.pow(0.5, n))
    return score
