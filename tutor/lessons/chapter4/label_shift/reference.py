import torch


def target_label_distribution(val_pred: torch.Tensor, val_true: torch.Tensor, target_pred: torch.Tensor,
                              num_classes: int) -> torch.Tensor:
    k = num_classes
    counts = torch.zeros(k, k, dtype=torch.float64)  # counts[i, j]: predicted i, true j
    counts.index_put_((val_pred, val_true), torch.ones(len(val_pred), dtype=torch.float64), accumulate=True)
    per_true_class = counts.sum(dim=0)
    if (per_true_class == 0).any():
        j = int(torch.nonzero(per_true_class == 0)[0])
        raise ValueError(f"class {j} has no validation example, so column {j} of the confusion matrix is undefined")
    C = counts / per_true_class  # column j: P(ŷ = i | y = j), sums to 1
    mu = torch.bincount(target_pred, minlength=k).to(torch.float64) / len(target_pred)
    q = torch.linalg.solve(C, mu)
    q = q.clamp(min=0.0)
    return q / q.sum()
