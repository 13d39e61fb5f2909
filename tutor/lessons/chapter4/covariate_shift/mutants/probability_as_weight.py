# diagnosis: covariate_shift.probability
"""Wrong: uses the classifier's probability P(target | x) as the weight instead of the odds."""

import torch


def _train(X_source, X_target, steps, lr, on_loss, target_label=1.0):
    n_s, n_t = len(X_source), len(X_target)
    X = torch.cat([X_source, X_target])
    z = torch.cat([X_source.new_full((n_s,), 1.0 - target_label), X_source.new_full((n_t,), target_label)])
    w = X_source.new_zeros(X_source.shape[1])
    b = X_source.new_zeros(())
    for step in range(1, steps + 1):
        h = X @ w + b
        if on_loss is not None:
            on_loss(step, float((torch.nn.functional.softplus(h) - z * h).mean()))
        residual = torch.sigmoid(h) - z
        w = w - lr * (X.T @ residual) / len(z)
        b = b - lr * residual.mean()
    return X_source @ w + b


def importance_weights(X_source, X_target, steps=300, lr=1.0, on_loss=None):
    return torch.sigmoid(_train(X_source, X_target, steps, lr, on_loss))


def reweighted_loss(losses, beta):
    return (beta * losses).sum() / beta.sum()

