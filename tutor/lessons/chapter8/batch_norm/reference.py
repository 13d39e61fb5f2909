import torch


def batch_norm(X: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, running_mean: torch.Tensor,
               running_var: torch.Tensor, training: bool = True, momentum: float = 0.1,
               eps: float = 1e-5) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    # Per-channel statistics: over N for (N, C), over N, H and W for (N, C, H, W).
    dims = (0,) if X.dim() == 2 else (0, 2, 3)
    shape = (1, -1) if X.dim() == 2 else (1, -1, 1, 1)
    if training:
        mean = X.mean(dim=dims)
        var = ((X - mean.reshape(shape)) ** 2).mean(dim=dims)  # biased: divide by m
        m = X.numel() // X.shape[1]
        with torch.no_grad():  # the running averages are bookkeeping, not part of the graph
            new_mean = (1 - momentum) * running_mean + momentum * mean
            new_var = (1 - momentum) * running_var + momentum * var * (m / (m - 1))
    else:
        mean, var = running_mean, running_var
        new_mean, new_var = running_mean, running_var
    X_hat = (X - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + eps)
    return gamma.reshape(shape) * X_hat + beta.reshape(shape), new_mean, new_var
