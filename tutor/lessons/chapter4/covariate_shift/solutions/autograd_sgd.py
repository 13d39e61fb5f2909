"""Correct: the classifier's parameters trained with autograd (loss.backward) and a plain gradient step."""

import torch
import torch.nn.functional as F


def importance_weights(X_source, X_target, steps=300, lr=1.0, on_loss=None):
    X = torch.cat([X_source, X_target])
    is_target = torch.cat([torch.zeros(len(X_source)), torch.ones(len(X_target))]).to(X.dtype)
    w = torch.zeros(X.shape[1], dtype=X.dtype, requires_grad=True)
    b = torch.zeros(1, dtype=X.dtype, requires_grad=True)
    for step in range(steps):
        loss = F.binary_cross_entropy_with_logits(X @ w + b, is_target)
        if on_loss:
            on_loss(step + 1, loss.item())
        loss.backward()
        with torch.no_grad():
            for p in (w, b):
                p -= lr * p.grad
                p.grad = None
    with torch.no_grad():
        odds = torch.exp(X_source @ w + b)           # P(target | x) / P(source | x)
        return odds * len(X_source) / len(X_target)  # undo the classes' sizes


def reweighted_loss(losses, beta):
    weights = beta / beta.sum()
    return torch.dot(weights, losses)
