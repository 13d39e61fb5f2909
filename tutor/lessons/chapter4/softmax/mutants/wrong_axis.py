# diagnosis: softmax.wrong_axis
import torch


def softmax(X):
    Z = X - X.max(dim=0, keepdim=True).values
    E = torch.exp(Z)
    return E / E.sum(dim=0, keepdim=True)
