# mistake: subtracts the maximum and exponentiates in place, which overwrites the caller's X
import torch


def softmax(X: torch.Tensor) -> torch.Tensor:
    X -= X.max(dim=-1, keepdim=True).values
    X.exp_()
    return X / X.sum(dim=-1, keepdim=True)
