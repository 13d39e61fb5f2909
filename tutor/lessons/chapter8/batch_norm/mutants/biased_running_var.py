# diagnosis: batch_norm.biased_running_var
import torch


def batch_norm(X, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    # D2L's simplified version: the biased variance goes into the running average too.
    if not training:
        shape = (1, -1) if X.dim() == 2 else (1, -1, 1, 1)
        X_hat = (X - running_mean.reshape(shape)) / torch.sqrt(running_var.reshape(shape) + eps)
        return gamma.reshape(shape) * X_hat + beta.reshape(shape), running_mean, running_var
    if X.dim() == 2:
        mean = X.mean(dim=0)
        var = ((X - mean) ** 2).mean(dim=0)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        Y = gamma * X_hat + beta
    else:
        mean = X.mean(dim=(0, 2, 3), keepdim=True)
        var = ((X - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        Y = gamma.reshape(1, -1, 1, 1) * X_hat + beta.reshape(1, -1, 1, 1)
    new_mean = (1 - momentum) * running_mean + momentum * mean.detach().reshape(-1)
    new_var = (1 - momentum) * running_var + momentum * var.detach().reshape(-1)
    return Y, new_mean, new_var
