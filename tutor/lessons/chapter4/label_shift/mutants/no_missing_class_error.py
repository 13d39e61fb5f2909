# diagnosis: label_shift.missing_class
"""Wrong: a class without validation examples gives a column 0/0 = NaN, and the solve fails with another error."""

import torch


def target_label_distribution(val_pred, val_true, target_pred, num_classes):
    k = num_classes
    counts = torch.zeros(k, k, dtype=torch.float64)
    counts.index_put_((val_pred, val_true), torch.ones(len(val_pred), dtype=torch.float64), accumulate=True)
    C = counts / counts.sum(dim=0)
    mu = torch.bincount(target_pred, minlength=k).to(torch.float64) / len(target_pred)
    q = torch.linalg.solve(C, mu).clamp(min=0.0)
    return q / q.sum()
