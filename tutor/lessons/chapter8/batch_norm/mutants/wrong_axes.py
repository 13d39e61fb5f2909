# diagnosis: batch_norm.wrong_axes
import torch


def batch_norm(X, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    shape = (1, -1) if X.dim() == 2 else (1, -1, 1, 1)
    if training:
        # The (N, C) code reused as it is: statistics over the batch axis only, so for images one
        # mean per (c, h, w) position instead of one per channel.
        mean = X.mean(dim=0, keepdim=True)
        var = ((X - mean) ** 2).mean(dim=0, keepdim=True)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        dims = (0,) if X.dim() == 2 else (0, 2, 3)
        ch_mean = X.detach().mean(dim=dims)
        ch_var = X.detach().var(dim=dims)
        new_mean = (1 - momentum) * running_mean + momentum * ch_mean
        new_var = (1 - momentum) * running_var + momentum * ch_var
    else:
        X_hat = (X - running_mean.reshape(shape)) / torch.sqrt(running_var.reshape(shape) + eps)
        new_mean, new_var = running_mean, running_var
    return gamma.reshape(shape) * X_hat + beta.reshape(shape), new_mean, new_var
