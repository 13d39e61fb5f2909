# diagnosis: masked_loss.per_sequence_losses
# The book's MaskedSoftmaxCELoss: one loss per sequence, the masked losses averaged over all T.
import torch


def teacher_forcing_inputs(targets, bos):
    return torch.cat([torch.full_like(targets[:, :1], bos), targets[:, :-1]], dim=1)


def masked_cross_entropy(logits, targets, valid_len):
    T = targets.shape[1]
    token_loss = -torch.log_softmax(logits, dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    weights = (torch.arange(T)[None, :] < valid_len[:, None]).to(token_loss.dtype)
    return (token_loss * weights).mean(dim=1)
