import torch


def softmax(X: torch.Tensor) -> torch.Tensor:
    shifted = X - X.amax(dim=-1, keepdim=True)
    exps = torch.exp(shifted)
    return exps / exps.sum(dim=-1, keepdim=True)
