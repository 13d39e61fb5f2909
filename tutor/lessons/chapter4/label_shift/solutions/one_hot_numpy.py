"""Correct: the confusion matrix as a product of one-hot matrices, solved with NumPy."""

import numpy as np
import torch


def target_label_distribution(val_pred: torch.Tensor, val_true: torch.Tensor, target_pred: torch.Tensor,
                              num_classes: int) -> torch.Tensor:
    eye = np.eye(num_classes)
    predicted = eye[val_pred.numpy()]              # (n_val, k), one-hot rows
    true = eye[val_true.numpy()]
    counts = predicted.T @ true                    # [i, j]: predicted i and true j
    support = true.sum(axis=0)
    if np.any(support == 0):
        raise ValueError("every class needs at least one validation example")
    confusion = counts / support[None, :]
    mu_hat = eye[target_pred.numpy()].mean(axis=0)
    q = np.maximum(np.linalg.solve(confusion, mu_hat), 0.0)
    return torch.from_numpy(q / q.sum())
