# mistake: divides by sigma^2 + eps instead of its square root, the standard deviation
import torch


def batch_norm(X: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, running_mean: torch.Tensor,
               running_var: torch.Tensor, training: bool = True, momentum: float = 0.1,
               eps: float = 1e-5) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    dims = (0,) if X.dim() == 2 else (0, 2, 3)
    shape = (1, -1) if X.dim() == 2 else (1, -1, 1, 1)
    if training:
        mean = X.mean(dim=dims)
        var = ((X - mean.view(shape)) ** 2).mean(dim=dims)
        m = X.numel() // X.shape[1]
        new_mean = (1 - momentum) * running_mean + momentum * mean.detach()
        new_var = (1 - momentum) * running_var + momentum * var.detach() * m / (m - 1)
    else:
        mean, var = running_mean, running_var
        new_mean, new_var = running_mean.clone(), running_var.clone()
    X_hat = (X - mean.view(shape)) / (var.view(shape) + eps)
    return gamma.view(shape) * X_hat + beta.view(shape), new_mean, new_var
