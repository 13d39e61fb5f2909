# diagnosis: softmax.no_keepdim
import torch


def softmax(X):
    Z = X - X.max(dim=-1).values
    E = torch.exp(Z)
    return E / E.sum(dim=-1)
