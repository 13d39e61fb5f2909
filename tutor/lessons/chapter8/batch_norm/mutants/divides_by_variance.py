# diagnosis: batch_norm.divides_by_variance
import torch


def batch_norm(X, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    dims = (0,) if X.dim() == 2 else (0, 2, 3)
    shape = (1, -1) if X.dim() == 2 else (1, -1, 1, 1)
    if training:
        mean = X.mean(dim=dims)
        var = ((X - mean.reshape(shape)) ** 2).mean(dim=dims)
        m = X.numel() // X.shape[1]
        new_mean = (1 - momentum) * running_mean + momentum * mean.detach()
        new_var = (1 - momentum) * running_var + momentum * var.detach() * m / (m - 1)
    else:
        mean, var, new_mean, new_var = running_mean, running_var, running_mean, running_var
    X_hat = (X - mean.reshape(shape)) / (var.reshape(shape) + eps)  # the misprint: no square root
    return gamma.reshape(shape) * X_hat + beta.reshape(shape), new_mean, new_var
