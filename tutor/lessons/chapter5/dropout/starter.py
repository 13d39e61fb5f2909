import torch


def dropout(X: torch.Tensor, p: float, training: bool = True,
            generator: torch.Generator | None = None) -> torch.Tensor:
    """Inverted dropout: in training mode zero each entry of X with probability p (the mask drawn
    from `generator`, or torch's global generator when None) and divide the survivors by 1 - p;
    in evaluation mode return X. Raises ValueError unless 0 <= p <= 1."""
    raise NotImplementedError("dropout: write me")
