# diagnosis: inplace.replaced_in_list
import torch


def sgd_update_(params, grads, lr):
    with torch.no_grad():
        for i, g in enumerate(grads):
            params[i] = params[i] - lr * g
