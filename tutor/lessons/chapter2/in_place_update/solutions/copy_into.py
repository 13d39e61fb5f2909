"""Correct: compute the new values, then copy_ them into the old memory."""

import torch


def sgd_update_(params, grads, lr):
    for p, g in zip(params, grads):
        new = p.detach() - lr * g
        with torch.no_grad():
            p.copy_(new)
