# diagnosis: masked_loss.bos_replaces_first
# bos overwrites the first target token instead of pushing the row right.
import torch


def teacher_forcing_inputs(targets, bos):
    out = targets.clone()
    out[:, 0] = bos
    return out


def masked_cross_entropy(logits, targets, valid_len):
    T = targets.shape[1]
    token_loss = -torch.log_softmax(logits, dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    mask = torch.arange(T)[None, :] < valid_len[:, None]
    return torch.where(mask, token_loss, torch.zeros_like(token_loss)).sum() / mask.sum()
