# diagnosis: softmax.mutates_input
import torch


def softmax(X):
    X -= X.max(dim=-1, keepdim=True).values
    X.exp_()
    return X / X.sum(dim=-1, keepdim=True)
