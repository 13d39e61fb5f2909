# diagnosis: rnn.swapped_weights
"""Wrong: multiplies the input by W_hh and the state by W_xh."""

import torch


def rnn_forward(X, H0, W_xh, W_hh, b_h):
    H, states = H0, []
    for X_t in X:
        H = torch.tanh(X_t @ W_hh + H @ W_xh + b_h)
        states.append(H)
    return torch.stack(states)
