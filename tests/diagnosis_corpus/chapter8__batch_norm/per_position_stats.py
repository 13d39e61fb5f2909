# mistake: takes the statistics over dim 0 only for 4-D input, one mean per (c, h, w) position instead of one per channel
import torch


def batch_norm(X: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, running_mean: torch.Tensor,
               running_var: torch.Tensor, training: bool = True, momentum: float = 0.1,
               eps: float = 1e-5) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    shape = [1, X.shape[1]] + [1] * (X.dim() - 2)
    g, b = gamma.view(shape), beta.view(shape)
    if training:
        mu = X.mean(dim=0, keepdim=True)
        var = ((X - mu) ** 2).mean(dim=0, keepdim=True)
        Y = g * (X - mu) / torch.sqrt(var + eps) + b
        n = X.shape[0]
        # one number per channel for the running averages
        mu_c = mu.reshape(X.shape[1], -1).mean(dim=1).detach()
        var_c = var.reshape(X.shape[1], -1).mean(dim=1).detach()
        new_mean = (1 - momentum) * running_mean + momentum * mu_c
        new_var = (1 - momentum) * running_var + momentum * var_c * n / (n - 1)
        return Y, new_mean, new_var
    Y = g * (X - running_mean.view(shape)) / torch.sqrt(running_var.view(shape) + eps) + b
    return Y, running_mean.clone(), running_var.clone()
