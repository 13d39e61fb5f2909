# mistake: exponentiates the raw scores without subtracting the row maximum, so large logits overflow to inf/NaN
import torch


def softmax(X: torch.Tensor) -> torch.Tensor:
    X_exp = torch.exp(X)
    partition = X_exp.sum(dim=-1, keepdim=True)
    return X_exp / partition
