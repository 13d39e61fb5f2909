# diagnosis: any
# verdict: forbidden
import torch.nn.functional as F


def cross_entropy(logits, labels):
    return F.cross_entropy(logits, labels)
