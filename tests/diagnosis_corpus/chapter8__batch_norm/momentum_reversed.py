# mistake: weighs the old running average by momentum and the new batch by 1 - momentum (the other convention)
import torch


def batch_norm(X: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, running_mean: torch.Tensor,
               running_var: torch.Tensor, training: bool = True, momentum: float = 0.1,
               eps: float = 1e-5) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    four_d = X.dim() == 4
    dims = (0, 2, 3) if four_d else (0,)
    view = (1, -1, 1, 1) if four_d else (1, -1)
    if training:
        var, mean = torch.var_mean(X, dim=dims, correction=0)
        m = X.numel() / X.shape[1]
        with torch.no_grad():
            new_mean = momentum * running_mean + (1.0 - momentum) * mean
            new_var = momentum * running_var + (1.0 - momentum) * var * m / (m - 1)
    else:
        mean, var = running_mean, running_var
        new_mean, new_var = running_mean, running_var
    Y = gamma.view(view) * (X - mean.view(view)) * torch.rsqrt(var.view(view) + eps) + beta.view(view)
    return Y, new_mean, new_var
