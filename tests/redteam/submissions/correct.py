# verdict: pass
# The control: an honest, correct submission passes in the same sandbox.
import torch


def softmax(X):
    E = torch.exp(X - X.amax(dim=-1, keepdim=True))
    return E / E.sum(dim=-1, keepdim=True)
