"""Correct: binary logits turned into probabilities first; Tensor.max(dim=-1).indices for classes."""

import torch


def accuracy(scores: torch.Tensor, labels: torch.Tensor, from_logits: bool = True) -> float:
    one_score = scores.shape == labels.shape or (scores.shape[:-1] == labels.shape and scores.shape[-1] == 1)
    if one_score:
        p = scores.reshape(labels.shape).double()
        if from_logits:
            p = torch.sigmoid(p)  # in float64, so only a logit of exactly 0 lands on 0.5
        predicted = torch.where(p > 0.5, 1, 0)
    else:
        predicted = scores.max(dim=-1).indices
    return float(torch.eq(predicted, labels).sum()) / labels.numel()
