"""Correct: one call for the whole list, as torch.optim does in its foreach mode."""

import torch


def sgd_update_(params, grads, lr):
    if not params:
        return
    with torch.no_grad():
        torch._foreach_add_(params, grads, alpha=-lr)
