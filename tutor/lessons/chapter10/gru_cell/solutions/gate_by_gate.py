"""Correct: the six weight blocks and six biases sliced out by row, each gate written as in the lesson."""

import torch


def gru_cell(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    H = h.shape[1]

    def block(tensor, k):
        return tensor[k * H:(k + 1) * H]

    W_ir, W_iz, W_in = (block(weight_ih, k) for k in range(3))
    W_hr, W_hz, W_hn = (block(weight_hh, k) for k in range(3))
    b_ir, b_iz, b_in = (block(bias_ih, k) for k in range(3))
    b_hr, b_hz, b_hn = (block(bias_hh, k) for k in range(3))
    r = torch.sigmoid(torch.matmul(x, W_ir.t()) + b_ir + torch.matmul(h, W_hr.t()) + b_hr)
    z = torch.sigmoid(torch.matmul(x, W_iz.t()) + b_iz + torch.matmul(h, W_hz.t()) + b_hz)
    n = torch.tanh(torch.matmul(x, W_in.t()) + b_in + r * (torch.matmul(h, W_hn.t()) + b_hn))
    return n + z * (h - n)
