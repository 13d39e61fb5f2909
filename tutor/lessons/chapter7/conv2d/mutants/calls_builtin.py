# diagnosis: any
# verdict: forbidden
import torch


def conv2d(X, W, b=None, stride=1, padding=0):
    return torch.conv2d(X, W, b, stride, padding)
