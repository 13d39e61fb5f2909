# diagnosis: label_shift.predicted_distribution
"""Wrong: returns the distribution of the classifier's predictions on the target data."""

import torch


def target_label_distribution(val_pred, val_true, target_pred, num_classes):
    k = num_classes
    counts = torch.zeros(k, k, dtype=torch.float64)
    counts.index_put_((val_pred, val_true), torch.ones(len(val_pred), dtype=torch.float64), accumulate=True)
    if (counts.sum(dim=0) == 0).any():
        raise ValueError("a class has no validation example")
    mu = torch.bincount(target_pred, minlength=k).to(torch.float64) / len(target_pred)
    return mu
