# diagnosis: cross_entropy.wrong_gather
import torch


def cross_entropy(logits, labels):
    m = logits.max(dim=1, keepdim=True).values
    lse = m + torch.log(torch.exp(logits - m).sum(dim=1, keepdim=True))
    return (lse - logits[:, labels]).mean()
