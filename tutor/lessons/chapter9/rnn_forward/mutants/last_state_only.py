# diagnosis: rnn.last_state_only
"""Wrong: returns only the last hidden state."""

import torch


def rnn_forward(X, H0, W_xh, W_hh, b_h):
    H = H0
    for X_t in X:
        H = torch.tanh(X_t @ W_xh + H @ W_hh + b_h)
    return H
