# diagnosis: accuracy.single_column
"""Wrong: treats an (N, 1) output as one class and takes its argmax, which is always 0."""

import torch


def accuracy(scores, labels, from_logits=True):
    if scores.shape == labels.shape:
        predictions = (scores > (0.0 if from_logits else 0.5)).long()
    else:
        predictions = scores.argmax(dim=-1)
    return (predictions == labels).double().mean().item()
