# mistake: uses the |x|^2 + |y|^2 - 2 x.y expansion without clamping at 0, so rounding gives NaN for a point against itself
import torch


def broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    for x, y in zip(a, b):
        if x != y and x != 1 and y != 1:
            raise ValueError("not broadcastable")
    return tuple(x if y == 1 else y for x, y in zip(a, b))


def pairwise_distances(X: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
    xx = (X * X).sum(dim=1, keepdim=True)      # (n, 1)
    yy = (Y * Y).sum(dim=1)[None, :]           # (1, m)
    sq = xx + yy - 2 * X @ Y.T
    return torch.sqrt(sq)
