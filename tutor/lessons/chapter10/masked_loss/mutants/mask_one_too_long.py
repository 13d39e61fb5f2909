# diagnosis: masked_loss.mask_one_too_long
# t <= valid_len: the first padding position counts too.
import torch


def teacher_forcing_inputs(targets, bos):
    return torch.cat([torch.full_like(targets[:, :1], bos), targets[:, :-1]], dim=1)


def masked_cross_entropy(logits, targets, valid_len):
    T = targets.shape[1]
    token_loss = -torch.log_softmax(logits, dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    mask = torch.arange(T)[None, :] <= valid_len[:, None]
    return torch.where(mask, token_loss, torch.zeros_like(token_loss)).sum() / mask.sum()
