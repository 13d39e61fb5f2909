# mistake: updates running_mean and running_var in place (like nn.BatchNorm's buffers), which changes the caller's tensors
import torch


def batch_norm(X: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, running_mean: torch.Tensor,
               running_var: torch.Tensor, training: bool = True, momentum: float = 0.1,
               eps: float = 1e-5) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    dims = [0] + list(range(2, X.dim()))
    shape = [1, -1] + [1] * (X.dim() - 2)
    if training:
        mean = X.mean(dim=dims)
        var = X.var(dim=dims, unbiased=False)
        m = X.numel() // X.size(1)
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * var * m / (m - 1))
    else:
        mean, var = running_mean, running_var
    x_hat = (X - mean.reshape(shape)) / (var.reshape(shape) + eps).sqrt()
    return gamma.reshape(shape) * x_hat + beta.reshape(shape), running_mean, running_var
