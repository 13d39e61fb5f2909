# diagnosis: batch_norm.per_example
import torch


def batch_norm(X, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    shape = (1, -1) if X.dim() == 2 else (1, -1, 1, 1)
    if training:
        # Statistics of each example over its own features: layer normalisation.
        rest = tuple(range(1, X.dim()))
        mean = X.mean(dim=rest, keepdim=True)
        var = ((X - mean) ** 2).mean(dim=rest, keepdim=True)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        dims = (0,) if X.dim() == 2 else (0, 2, 3)
        new_mean = (1 - momentum) * running_mean + momentum * X.detach().mean(dim=dims)
        new_var = (1 - momentum) * running_var + momentum * X.detach().var(dim=dims)
    else:
        X_hat = (X - running_mean.reshape(shape)) / torch.sqrt(running_var.reshape(shape) + eps)
        new_mean, new_var = running_mean, running_var
    return gamma.reshape(shape) * X_hat + beta.reshape(shape), new_mean, new_var
