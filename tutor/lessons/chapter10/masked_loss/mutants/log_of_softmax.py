# diagnosis: masked_loss.log_of_softmax
# log of softmax probabilities, times the mask: log 0 = -inf in the padding, and -inf * 0 = NaN.
import torch


def teacher_forcing_inputs(targets, bos):
    return torch.cat([torch.full_like(targets[:, :1], bos), targets[:, :-1]], dim=1)


def masked_cross_entropy(logits, targets, valid_len):
    T = targets.shape[1]
    probs = torch.softmax(logits, dim=-1)
    token_loss = -torch.log(probs.gather(-1, targets.unsqueeze(-1)).squeeze(-1))
    weights = (torch.arange(T)[None, :] < valid_len[:, None]).to(token_loss.dtype)
    return (token_loss * weights).sum() / weights.sum()
