import torch


def perplexity(log_probs: torch.Tensor, mask: torch.Tensor | None = None) -> float:
    if mask is None:
        mask = torch.ones_like(log_probs, dtype=torch.bool)
    real = log_probs[mask]  # selecting (not multiplying by the mask) keeps padding values out entirely
    if real.numel() == 0:
        raise ValueError("perplexity of zero tokens is undefined: the mask selects no token")
    return torch.exp(-real.double().mean()).item()
