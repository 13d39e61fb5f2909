# diagnosis: inplace.rebinds
import torch


def sgd_update_(params, grads, lr):
    with torch.no_grad():
        for p, g in zip(params, grads):
            p = p - lr * g
