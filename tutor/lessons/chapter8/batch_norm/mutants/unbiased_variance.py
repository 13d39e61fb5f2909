# diagnosis: batch_norm.unbiased_variance
import torch


def batch_norm(X, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    dims = [0] if X.dim() == 2 else [0, 2, 3]
    shape = [1, -1] + [1] * (X.dim() - 2)
    if training:
        mean = X.mean(dim=dims)
        var = X.var(dim=dims)  # torch.var divides by m - 1 by default
        new_mean = (1 - momentum) * running_mean + momentum * mean.detach()
        new_var = (1 - momentum) * running_var + momentum * var.detach()
    else:
        mean, var = running_mean, running_var
        new_mean, new_var = running_mean.clone(), running_var.clone()
    Y = gamma.view(shape) * (X - mean.view(shape)) / torch.sqrt(var.view(shape) + eps) + beta.view(shape)
    return Y, new_mean, new_var
