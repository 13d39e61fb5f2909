# diagnosis: cross_entropy.log_of_probabilities
import torch


def cross_entropy(logits, labels):
    e = torch.exp(logits - logits.max(dim=1, keepdim=True).values)
    probs = e / e.sum(dim=1, keepdim=True)
    return -torch.log(probs[torch.arange(len(labels)), labels]).mean()
