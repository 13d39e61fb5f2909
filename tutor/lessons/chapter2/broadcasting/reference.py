import torch


def broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    a, b = tuple(a), tuple(b)
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + a
    b = (1,) * (n - len(b)) + b
    out = []
    for x, y in zip(a, b):
        if x != y and x != 1 and y != 1:
            raise ValueError(f"sizes {x} and {y} do not broadcast")
        out.append(int(y if x == 1 else x))
    return tuple(out)


def pairwise_distances(X: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
    diff = X[:, None, :] - Y[None, :, :]
    return (diff * diff).sum(dim=-1).sqrt()
