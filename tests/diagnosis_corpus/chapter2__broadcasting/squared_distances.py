# mistake: returns squared distances, forgetting the square root
import torch


def broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    a, b = list(a), list(b)
    while len(a) < len(b):
        a.insert(0, 1)
    while len(b) < len(a):
        b.insert(0, 1)
    out = []
    for x, y in zip(a, b):
        if x == y:
            out.append(x)
        elif x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        else:
            raise ValueError(f"{x} vs {y}")
    return tuple(out)


def pairwise_distances(X: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
    d = X[:, None, :] - Y[None, :, :]
    return (d * d).sum(-1)
