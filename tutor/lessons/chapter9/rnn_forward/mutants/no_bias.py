# diagnosis: rnn.no_bias
"""Wrong: forgets the bias."""

import torch


def rnn_forward(X, H0, W_xh, W_hh, b_h):
    H, states = H0, []
    for X_t in X:
        H = torch.tanh(X_t @ W_xh + H @ W_hh)
        states.append(H)
    return torch.stack(states)
