# diagnosis: any
# verdict: forbidden
import torch


def broadcast_shape(a, b):
    return tuple(torch.broadcast_shapes(a, b))


def pairwise_distances(X, Y):
    return ((X[:, None, :] - Y[None, :, :]) ** 2).sum(-1).sqrt()

