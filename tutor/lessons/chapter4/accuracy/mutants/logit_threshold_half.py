# diagnosis: accuracy.threshold_confusion
"""Wrong: thresholds a binary score at 0.5 whether it is a probability or a logit."""

import torch


def accuracy(scores, labels, from_logits=True):
    if scores.dim() == labels.dim() + 1 and scores.shape[-1] == 1:
        scores = scores.squeeze(-1)
    if scores.shape == labels.shape:
        predictions = (scores > 0.5).long()
    else:
        predictions = scores.argmax(dim=-1)
    return (predictions == labels).double().mean().item()
