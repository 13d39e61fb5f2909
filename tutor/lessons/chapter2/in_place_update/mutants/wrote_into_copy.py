# diagnosis: inplace.wrote_into_copy
import torch


def sgd_update_(params, grads, lr):
    with torch.no_grad():
        for p, g in zip(params, grads):
            flat = p.reshape(-1)
            flat -= lr * g.reshape(-1)
