# diagnosis: generic.keepdim
import torch


def batch_norm(X, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    # D2L-style shapes: statistics kept as (1, C, 1, 1), and returned that way.
    dims = (0,) if X.dim() == 2 else (0, 2, 3)
    shape = (1, -1) if X.dim() == 2 else (1, -1, 1, 1)
    rm, rv = running_mean.reshape(shape), running_var.reshape(shape)
    if training:
        mean = X.mean(dim=dims, keepdim=True)
        var = ((X - mean) ** 2).mean(dim=dims, keepdim=True)
        m = X.numel() // X.shape[1]
        rm = (1 - momentum) * rm + momentum * mean.detach()
        rv = (1 - momentum) * rv + momentum * var.detach() * m / (m - 1)
    else:
        mean, var = rm, rv
    X_hat = (X - mean) / torch.sqrt(var + eps)
    return gamma.reshape(shape) * X_hat + beta.reshape(shape), rm, rv
