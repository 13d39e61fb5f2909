"""Correct: hand-written gradients; β from the classifier's probabilities as an odds ratio."""

import torch


def importance_weights(X_source: torch.Tensor, X_target: torch.Tensor, steps: int = 300, lr: float = 1.0,
                       on_loss=None) -> torch.Tensor:
    n_s, n_t = X_source.shape[0], X_target.shape[0]
    # one column of ones for the bias: theta = (w, b)
    A = torch.cat([torch.cat([X_source, X_target]), torch.ones(n_s + n_t, 1, dtype=X_source.dtype)], dim=1)
    y = torch.zeros(n_s + n_t, dtype=X_source.dtype)
    y[n_s:] = 1
    theta = torch.zeros(A.shape[1], dtype=X_source.dtype)
    for t in range(steps):
        logits = A @ theta
        if on_loss is not None:
            # log(1 + e^h) - y h, written so that no exp overflows
            loss = torch.clamp(logits, min=0) - logits * y + torch.log1p(torch.exp(-logits.abs()))
            on_loss(t + 1, float(loss.mean()))
        theta = theta - lr * A.T @ (torch.sigmoid(logits) - y) / (n_s + n_t)
    p_target = torch.sigmoid(A[:n_s] @ theta)
    return (p_target / (1 - p_target)) * (n_s / n_t)


def reweighted_loss(losses: torch.Tensor, beta: torch.Tensor) -> torch.Tensor:
    return torch.sum(beta * losses) / torch.sum(beta)
