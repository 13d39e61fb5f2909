# diagnosis: batch_norm.batch_stats_in_eval
import torch


def batch_norm(X, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    dims = (0,) if X.dim() == 2 else (0, 2, 3)
    shape = (1, -1) if X.dim() == 2 else (1, -1, 1, 1)
    var, mean = torch.var_mean(X, dim=dims, correction=0)
    new_mean, new_var = running_mean, running_var
    if training:  # only the bookkeeping looks at the mode
        m = X.numel() // X.shape[1]
        new_mean = (1 - momentum) * running_mean + momentum * mean.detach()
        new_var = (1 - momentum) * running_var + momentum * var.detach() * m / (m - 1)
    X_hat = (X - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + eps)
    return gamma.reshape(shape) * X_hat + beta.reshape(shape), new_mean, new_var
