import torch


def batch_norm(X, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    # Move the channel axis last and flatten everything else: one row per value, one column per channel.
    C = X.shape[1]
    moved = X.movedim(1, -1)
    rows = moved.reshape(-1, C)
    if training:
        var, mean = torch.var_mean(rows, dim=0, correction=0)
        unbiased = torch.var(rows.detach(), dim=0, correction=1)
        running_mean = running_mean + momentum * (mean.detach() - running_mean)
        running_var = running_var + momentum * (unbiased - running_var)
        Y = (moved - mean) * torch.rsqrt(var + eps) * gamma + beta
    else:
        Y = (moved - running_mean) * torch.rsqrt(running_var + eps) * gamma + beta
    return Y.movedim(-1, 1), running_mean, running_var
