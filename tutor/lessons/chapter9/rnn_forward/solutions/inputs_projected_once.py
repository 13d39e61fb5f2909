"""Correct: the input projection of all T steps in one matrix product, then the recurrence."""

import torch


def rnn_forward(X, H0, W_xh, W_hh, b_h):
    T, B, D = X.shape
    projected = (X.reshape(T * B, D) @ W_xh + b_h).reshape(T, B, -1)  # X_t W_xh + b_h for every t
    out = []
    h = H0
    for t in range(T):
        h = torch.tanh(projected[t] + torch.matmul(h, W_hh))
        out.append(h)
    return torch.stack(out, dim=0)
