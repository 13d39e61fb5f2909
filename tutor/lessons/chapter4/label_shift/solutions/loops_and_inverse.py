"""Correct: counts with Python loops, the system solved with the matrix inverse."""

import torch


def target_label_distribution(val_pred, val_true, target_pred, num_classes):
    k = num_classes
    counts = [[0] * k for _ in range(k)]
    for p, y in zip(val_pred.tolist(), val_true.tolist()):
        counts[p][y] += 1
    C = torch.zeros(k, k, dtype=torch.float64)
    for j in range(k):
        column_total = sum(counts[i][j] for i in range(k))
        if column_total == 0:
            raise ValueError(f"no validation example of class {j}")
        for i in range(k):
            C[i, j] = counts[i][j] / column_total
    mu = torch.zeros(k, dtype=torch.float64)
    for p in target_pred.tolist():
        mu[p] += 1
    mu /= len(target_pred)
    q = torch.linalg.inv(C) @ mu
    q = torch.where(q < 0, torch.zeros_like(q), q)
    return q / q.sum()
