"""Chapter 4 - label shift: estimating the target label distribution.

Write target_label_distribution: solve C p = μ̂ with the validation confusion matrix C and the
distribution μ̂ of the predictions on the target data. `tutor hint chapter4/label_shift` when stuck.
Grade it with: tutor check chapter4/label_shift
"""

import torch


def target_label_distribution(val_pred: torch.Tensor, val_true: torch.Tensor, target_pred: torch.Tensor,
                              num_classes: int) -> torch.Tensor:
    """The target data's label distribution p, a float64 tensor of shape (num_classes,).

    val_pred, val_true (n_val,) int64: the classifier's predictions and the true labels on
    validation data drawn from the training (source) distribution.
    target_pred (n_target,) int64: its predictions on unlabelled target data.
    C[i, j] = (validation examples predicted i with true label j) / (validation examples with
    true label j); μ̂[i] = fraction of target examples predicted i. Solve C p = μ̂, set negative
    entries to 0 and divide by the sum. Raise ValueError when a class has no validation example.
    """
    raise NotImplementedError("target_label_distribution: write me")
