# diagnosis: cross_entropy.missing_minus
import torch


def cross_entropy(logits, labels):
    m = logits.max(dim=1, keepdim=True).values
    log_probs = logits - m - torch.log(torch.exp(logits - m).sum(dim=1, keepdim=True))
    return log_probs[torch.arange(len(labels)), labels].mean()
