"""Correct: the augmented assignment p -= ..., which Python turns into the in-place p.__isub__."""

import torch


@torch.no_grad()
def sgd_update_(params, grads, lr):
    for p, g in zip(params, grads):
        p -= lr * g
