# diagnosis: inplace.ascent
import torch


def sgd_update_(params, grads, lr):
    with torch.no_grad():
        for p, g in zip(params, grads):
            p.add_(g, alpha=lr)
