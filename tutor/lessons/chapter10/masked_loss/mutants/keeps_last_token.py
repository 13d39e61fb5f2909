# diagnosis: masked_loss.keeps_last_token
# bos in front of the whole target: T + 1 decoder inputs.
import torch


def teacher_forcing_inputs(targets, bos):
    return torch.cat([torch.full_like(targets[:, :1], bos), targets], dim=1)


def masked_cross_entropy(logits, targets, valid_len):
    T = targets.shape[1]
    token_loss = -torch.log_softmax(logits, dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    mask = torch.arange(T)[None, :] < valid_len[:, None]
    return torch.where(mask, token_loss, torch.zeros_like(token_loss)).sum() / mask.sum()
