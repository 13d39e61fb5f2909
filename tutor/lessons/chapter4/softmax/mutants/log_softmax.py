# diagnosis: softmax.log_softmax
import torch


def softmax(X):
    Z = X - X.max(dim=-1, keepdim=True).values
    return Z - torch.log(torch.exp(Z).sum(dim=-1, keepdim=True))
