# diagnosis: rnn.w_hh_transposed
"""Wrong: applies W_hh in the column-vector convention (W_hh h), i.e. with W_hh transposed."""

import torch


def rnn_forward(X, H0, W_xh, W_hh, b_h):
    H, states = H0, []
    for X_t in X:
        H = torch.tanh(X_t @ W_xh + H @ W_hh.T + b_h)
        states.append(H)
    return torch.stack(states)
