# diagnosis: softmax.no_max_shift
import torch


def softmax(X):
    E = torch.exp(X)
    return E / E.sum(dim=-1, keepdim=True)
