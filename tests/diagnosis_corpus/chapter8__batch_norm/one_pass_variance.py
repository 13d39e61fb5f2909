# mistake: computes the variance as E[x^2] - E[x]^2, which cancels catastrophically in float32 for data far from zero
import torch


def batch_norm(X: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, running_mean: torch.Tensor,
               running_var: torch.Tensor, training: bool = True, momentum: float = 0.1,
               eps: float = 1e-5) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    if X.ndim == 2:
        red, bshape = (0,), (1, -1)
    else:
        red, bshape = (0, 2, 3), (1, -1, 1, 1)
    if training:
        mean = X.mean(dim=red)
        var = (X * X).mean(dim=red) - mean * mean
        m = X.numel() // X.shape[1]
        new_rm = (1 - momentum) * running_mean + momentum * mean.detach()
        new_rv = (1 - momentum) * running_var + momentum * (m / (m - 1)) * var.detach()
    else:
        mean, var = running_mean, running_var
        new_rm, new_rv = running_mean.clone(), running_var.clone()
    Y = (X - mean.view(bshape)) / torch.sqrt(var.view(bshape) + eps)
    return gamma.view(bshape) * Y + beta.view(bshape), new_rm, new_rv
