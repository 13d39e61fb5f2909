# diagnosis: softmax.dtype_changed
import torch


def softmax(X):
    Z = X - X.max(dim=-1, keepdim=True).values
    E = torch.exp(Z)
    return (E / E.sum(dim=-1, keepdim=True)).to(torch.float32)
