# mistake: takes the norm over dim=1 (the axis of Y's points) instead of the feature axis
import torch


def broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    n = max(len(a), len(b))
    pa = [1] * (n - len(a)) + list(a)
    pb = [1] * (n - len(b)) + list(b)
    res = []
    for x, y in zip(pa, pb):
        if x == 1:
            res.append(y)
        elif y == 1 or x == y:
            res.append(x)
        else:
            raise ValueError("incompatible sizes")
    return tuple(res)


def pairwise_distances(X: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
    diff = X.unsqueeze(1) - Y.unsqueeze(0)          # (n, m, d)
    return torch.linalg.norm(diff, dim=1)
