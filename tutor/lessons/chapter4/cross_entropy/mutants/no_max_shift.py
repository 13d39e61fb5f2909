# diagnosis: cross_entropy.no_max_shift
import torch


def cross_entropy(logits, labels):
    lse = torch.log(torch.exp(logits).sum(dim=1))
    return (lse - logits[torch.arange(len(labels)), labels]).mean()
