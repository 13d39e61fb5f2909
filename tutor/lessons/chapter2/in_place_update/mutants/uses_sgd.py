# diagnosis: any
# verdict: forbidden
import torch


def sgd_update_(params, grads, lr):
    for p, g in zip(params, grads):
        p.grad = g.clone()
    torch.optim.SGD(params, lr=lr).step()
