# diagnosis: cross_entropy.not_differentiable
import math

import torch


def cross_entropy(logits, labels):
    total = 0.0
    for row, y in zip(logits.tolist(), labels.tolist()):
        m = max(row)
        total += m + math.log(sum(math.exp(v - m) for v in row)) - row[y]
    return torch.tensor(total / len(labels), dtype=logits.dtype)
