# mistake: divides by the sum over dim=0, so columns rather than rows sum to 1
import torch


def softmax(X: torch.Tensor) -> torch.Tensor:
    shifted = X - X.max(dim=-1, keepdim=True).values
    e = shifted.exp()
    return e / e.sum(dim=0, keepdim=True)
