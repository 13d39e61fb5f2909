# diagnosis: any
# verdict: forbidden
"""Lets torch.nn.RNN do the work, with the parameters copied in: the grader must say forbidden."""

import torch


def deep_rnn(X, params, num_layers, bidirectional=False, h0=None):
    D, H = params["weight_ih_l0"].shape[1], params["weight_hh_l0"].shape[0]
    rnn = torch.nn.RNN(D, H, num_layers=num_layers, bidirectional=bidirectional).to(X.dtype)
    rnn.load_state_dict(params)
    return rnn(X, h0)
