import torch


def importance_weights(X_source: torch.Tensor, X_target: torch.Tensor, steps: int = 300, lr: float = 1.0,
                       on_loss=None) -> torch.Tensor:
    n_s, n_t = len(X_source), len(X_target)
    X = torch.cat([X_source, X_target])
    z = torch.cat([X_source.new_zeros(n_s), X_source.new_ones(n_t)])  # 1 = target
    w = X_source.new_zeros(X_source.shape[1])
    b = X_source.new_zeros(())
    for step in range(1, steps + 1):
        h = X @ w + b
        if on_loss is not None:
            on_loss(step, float((torch.nn.functional.softplus(h) - z * h).mean()))
        residual = torch.sigmoid(h) - z  # ∂(mean logistic loss)/∂h, times n
        w = w - lr * (X.T @ residual) / len(z)
        b = b - lr * residual.mean()
    return (n_s / n_t) * torch.exp(X_source @ w + b)


def reweighted_loss(losses: torch.Tensor, beta: torch.Tensor) -> torch.Tensor:
    return (beta * losses).sum() / beta.sum()
