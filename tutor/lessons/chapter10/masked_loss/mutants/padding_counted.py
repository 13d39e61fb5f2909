# diagnosis: masked_loss.padding_counted
# No mask: the mean over all B·T positions, padding included.
import torch


def teacher_forcing_inputs(targets, bos):
    return torch.cat([torch.full_like(targets[:, :1], bos), targets[:, :-1]], dim=1)


def masked_cross_entropy(logits, targets, valid_len):
    token_loss = -torch.log_softmax(logits, dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    return token_loss.mean()
