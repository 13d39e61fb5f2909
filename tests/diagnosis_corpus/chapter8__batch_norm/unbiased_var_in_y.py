# mistake: normalises with torch.var's default unbiased variance (divided by m - 1) instead of the biased one
import torch


def batch_norm(X: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, running_mean: torch.Tensor,
               running_var: torch.Tensor, training: bool = True, momentum: float = 0.1,
               eps: float = 1e-5) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    if X.dim() == 2:
        axes, shape = (0,), (1, X.shape[1])
    else:
        axes, shape = (0, 2, 3), (1, X.shape[1], 1, 1)
    if not training:
        X_hat = (X - running_mean.reshape(shape)) / torch.sqrt(running_var.reshape(shape) + eps)
        return gamma.reshape(shape) * X_hat + beta.reshape(shape), running_mean, running_var
    mean = X.mean(dim=axes)
    var = X.var(dim=axes)
    X_hat = (X - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + eps)
    with torch.no_grad():
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * var
    return gamma.reshape(shape) * X_hat + beta.reshape(shape), new_mean, new_var
