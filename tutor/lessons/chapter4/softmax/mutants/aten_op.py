# diagnosis: any
# verdict: forbidden
# The operator behind torch.softmax, reached through the dispatcher's namespace.
import torch


def softmax(X):
    return torch.ops.aten._softmax(X, -1, False)
