# diagnosis: label_shift.no_renormalise
"""Wrong: sets the negative entries to zero but does not divide by the new sum."""

import torch


def target_label_distribution(val_pred, val_true, target_pred, num_classes):
    k = num_classes
    counts = torch.zeros(k, k, dtype=torch.float64)
    counts.index_put_((val_pred, val_true), torch.ones(len(val_pred), dtype=torch.float64), accumulate=True)
    if (counts.sum(dim=0) == 0).any():
        raise ValueError("a class has no validation example")
    mu = torch.bincount(target_pred, minlength=k).to(torch.float64) / len(target_pred)
    C = counts / counts.sum(dim=0)
    return torch.linalg.solve(C, mu).clamp(min=0.0)
