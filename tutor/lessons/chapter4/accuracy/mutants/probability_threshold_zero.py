# diagnosis: accuracy.threshold_confusion
"""Wrong: applies a sigmoid to every binary score, also to scores that are already probabilities."""

import torch


def accuracy(scores, labels, from_logits=True):
    if scores.dim() == labels.dim() + 1 and scores.shape[-1] == 1:
        scores = scores.squeeze(-1)
    if scores.shape == labels.shape:
        predictions = (torch.sigmoid(scores.double()) > 0.5).long()
    else:
        predictions = scores.argmax(dim=-1)
    return (predictions == labels).double().mean().item()
