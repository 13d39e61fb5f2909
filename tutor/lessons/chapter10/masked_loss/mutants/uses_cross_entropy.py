# verdict: forbidden
# torch's cross_entropy does the whole loss once the padding is marked with ignore_index.
import torch


def teacher_forcing_inputs(targets, bos):
    return torch.cat([torch.full_like(targets[:, :1], bos), targets[:, :-1]], dim=1)


def masked_cross_entropy(logits, targets, valid_len):
    T = targets.shape[1]
    labels = targets.masked_fill(torch.arange(T)[None, :] >= valid_len[:, None], -100)
    return torch.nn.functional.cross_entropy(logits.transpose(1, 2), labels, ignore_index=-100)
