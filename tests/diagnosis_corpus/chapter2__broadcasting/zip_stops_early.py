# mistake: walks both shapes from the right with zip, so the extra leading axes of the longer shape are dropped
import torch


def broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    out = []
    for x, y in zip(reversed(a), reversed(b)):
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            raise ValueError(f"cannot broadcast {a} with {b}")
    return tuple(reversed(out))


def pairwise_distances(X: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
    diff = X[:, None, :] - Y[None, :, :]
    return (diff ** 2).sum(dim=-1).sqrt()
