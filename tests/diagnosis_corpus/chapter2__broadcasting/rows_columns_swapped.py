# mistake: puts the new axes the other way round, X[None] - Y[:, None], so the result is (m, n) with rows following Y
import torch


def broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    ra, rb = list(reversed(a)), list(reversed(b))
    out = []
    for i in range(max(len(ra), len(rb))):
        x = ra[i] if i < len(ra) else 1
        y = rb[i] if i < len(rb) else 1
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            raise ValueError(f"axis {i} from the right: {x} vs {y}")
    return tuple(reversed(out))


def pairwise_distances(X: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
    return ((X[None, :, :] - Y[:, None, :]) ** 2).sum(dim=-1).sqrt()
