# diagnosis: softmax.global_sum
import torch


def softmax(X):
    E = torch.exp(X - X.max())
    return E / E.sum()
