# diagnosis: dropout.mask_broadcast
import torch


def dropout(X: torch.Tensor, p: float, training: bool = True,
            generator: torch.Generator | None = None) -> torch.Tensor:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability must lie in [0, 1], got {p}")
    if not training or p == 0.0:
        return X
    if p == 1.0:
        return torch.zeros_like(X)
    keep = torch.rand(X.shape[-1], generator=generator, device=X.device) > p
    return X * keep / (1.0 - p)
