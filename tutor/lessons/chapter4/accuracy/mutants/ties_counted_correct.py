# diagnosis: accuracy.ties
"""Wrong: counts an example as correct when its label's score equals the maximum, so a tie is won by every tied class."""

import torch


def accuracy(scores, labels, from_logits=True):
    if scores.dim() == labels.dim() + 1 and scores.shape[-1] == 1:
        scores = scores.squeeze(-1)
    if scores.shape == labels.shape:
        correct = (scores > (0.0 if from_logits else 0.5)).long() == labels
    else:
        picked = scores.gather(-1, labels.unsqueeze(-1)).squeeze(-1)
        correct = picked == scores.amax(dim=-1)
    return correct.double().mean().item()
