# mistake: takes the larger of the two sizes on each axis, so a 0 against a 1 gives 1 instead of 0
import torch


def broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    result = []
    for x, y in zip(a, b):
        if x != y and x != 1 and y != 1:
            raise ValueError("shapes do not broadcast")
        result.append(max(x, y))
    return tuple(result)


def pairwise_distances(X: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
    return torch.sqrt(torch.sum((X.unsqueeze(1) - Y.unsqueeze(0)) ** 2, dim=2))
