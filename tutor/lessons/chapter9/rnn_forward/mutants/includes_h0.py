# diagnosis: rnn.includes_h0
"""Wrong: returns H0 as well, T + 1 states."""

import torch


def rnn_forward(X, H0, W_xh, W_hh, b_h):
    H, states = H0, [H0]
    for X_t in X:
        H = torch.tanh(X_t @ W_xh + H @ W_hh + b_h)
        states.append(H)
    return torch.stack(states)
