import torch


def batch_norm(X, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    """One channel at a time, with explicit sums: the statistics of channel c come from X[:, c]."""
    outs, means, variances = [], [], []
    for c in range(X.shape[1]):
        x = X[:, c]
        m = x.numel()
        if training:
            mu = x.sum() / m
            sq = ((x - mu) * (x - mu)).sum()
            var = sq / m
            means.append((1 - momentum) * running_mean[c] + momentum * mu.detach())
            variances.append((1 - momentum) * running_var[c] + momentum * sq.detach() / (m - 1))
        else:
            mu, var = running_mean[c], running_var[c]
        outs.append(gamma[c] * (x - mu) / torch.sqrt(var + eps) + beta[c])
    Y = torch.stack(outs, dim=1)
    if not training:
        return Y, running_mean.clone(), running_var.clone()
    return Y, torch.stack(means), torch.stack(variances)
