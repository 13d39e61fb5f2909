import torch


def teacher_forcing_inputs(targets: torch.Tensor, bos: int) -> torch.Tensor:
    # Position t of the decoder sees the target token of position t − 1; position 0 sees bos.
    first = torch.full_like(targets[:, :1], bos)
    return torch.cat([first, targets[:, :-1]], dim=1)


def masked_cross_entropy(logits: torch.Tensor, targets: torch.Tensor, valid_len: torch.Tensor) -> torch.Tensor:
    T = targets.shape[1]
    log_probs = torch.log_softmax(logits, dim=-1)
    token_loss = -log_probs.gather(-1, targets.unsqueeze(-1)).squeeze(-1)              # (B, T)
    mask = torch.arange(T, device=targets.device)[None, :] < valid_len[:, None]        # (B, T)
    # where, not a product with the mask: the padding may hold anything, even inf.
    kept = torch.where(mask, token_loss, torch.zeros_like(token_loss))
    return kept.sum() / mask.sum().to(token_loss.dtype)
