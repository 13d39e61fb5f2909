# diagnosis: cross_entropy.mutates_input
import torch


def cross_entropy(logits, labels):
    logits -= logits.max(dim=1, keepdim=True).values
    lse = torch.log(torch.exp(logits).sum(dim=1))
    return (lse - logits[torch.arange(len(labels)), labels]).mean()
