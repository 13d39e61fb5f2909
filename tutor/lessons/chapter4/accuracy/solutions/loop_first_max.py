"""Correct: one example at a time, with a hand-written "first maximum" scan."""

import torch


def accuracy(scores, labels, from_logits=True):
    flat_labels = labels.reshape(-1).tolist()
    if scores.numel() == labels.numel():  # one score per example: a binary classifier
        threshold = 0.0 if from_logits else 0.5
        predicted = [1 if s > threshold else 0 for s in scores.reshape(-1).tolist()]
    else:
        predicted = []
        for row in scores.reshape(len(flat_labels), -1).tolist():
            best = 0
            for c, value in enumerate(row):
                if value > row[best]:  # strictly greater: an equal score later on does not win
                    best = c
            predicted.append(best)
    correct = sum(int(p == y) for p, y in zip(predicted, flat_labels))
    return correct / len(flat_labels)
