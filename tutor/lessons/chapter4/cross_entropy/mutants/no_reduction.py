# diagnosis: cross_entropy.no_reduction
import torch


def cross_entropy(logits, labels):
    m = logits.max(dim=1, keepdim=True).values
    lse = m.squeeze(1) + torch.log(torch.exp(logits - m).sum(dim=1))
    return lse - logits[torch.arange(len(labels)), labels]
