# diagnosis: accuracy.not_a_float
"""Wrong: returns a 0-d tensor instead of a Python float."""

import torch


def accuracy(scores, labels, from_logits=True):
    if scores.dim() == labels.dim() + 1 and scores.shape[-1] == 1:
        scores = scores.squeeze(-1)
    if scores.shape == labels.shape:
        predictions = (scores > (0.0 if from_logits else 0.5)).long()
    else:
        predictions = scores.argmax(dim=-1)
    return (predictions == labels).float().mean()
