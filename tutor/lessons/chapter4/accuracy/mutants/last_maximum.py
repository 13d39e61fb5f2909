# diagnosis: accuracy.ties
"""Wrong: a tie goes to the last maximal class (it scans with >= instead of >)."""

import torch


def accuracy(scores, labels, from_logits=True):
    if scores.dim() == labels.dim() + 1 and scores.shape[-1] == 1:
        scores = scores.squeeze(-1)
    if scores.shape == labels.shape:
        predictions = (scores > (0.0 if from_logits else 0.5)).long()
    else:
        C = scores.shape[-1]
        predictions = C - 1 - scores.flip(-1).argmax(dim=-1)
    return (predictions == labels).double().mean().item()
