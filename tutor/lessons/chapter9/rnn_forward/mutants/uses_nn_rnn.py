# diagnosis: any
# verdict: forbidden
"""Lets torch.nn.RNN do the work, with the weights copied in: the grader must say forbidden."""

import torch


def rnn_forward(X, H0, W_xh, W_hh, b_h):
    rnn = torch.nn.RNN(W_xh.shape[0], W_xh.shape[1], nonlinearity="tanh").to(X.dtype)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(W_xh.T)
        rnn.weight_hh_l0.copy_(W_hh.T)
        rnn.bias_ih_l0.copy_(b_h)
        rnn.bias_hh_l0.zero_()
    out, _ = rnn(X, H0.unsqueeze(0))
    return out
