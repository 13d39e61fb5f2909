"""Correct: X[...] = expression (computed into a temporary, then copied into X's memory)."""

import torch


def sgd_update_(params, grads, lr):
    with torch.no_grad():
        for i in range(len(params)):
            params[i][...] = params[i] - lr * grads[i]
