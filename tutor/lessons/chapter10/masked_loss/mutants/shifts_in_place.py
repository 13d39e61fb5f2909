# diagnosis: generic.input_mutated
# Shifts the caller's targets in place and returns them.
import torch


def teacher_forcing_inputs(targets, bos):
    targets[:, 1:] = targets[:, :-1].clone()
    targets[:, 0] = bos
    return targets


def masked_cross_entropy(logits, targets, valid_len):
    T = targets.shape[1]
    token_loss = -torch.log_softmax(logits, dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    mask = torch.arange(T)[None, :] < valid_len[:, None]
    return torch.where(mask, token_loss, torch.zeros_like(token_loss)).sum() / mask.sum()
