"""Correct: the four weight blocks sliced out by row, one line per gate as in the lesson."""

import torch


def lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    H = h.shape[1]

    def pre(k):
        rows = slice(k * H, (k + 1) * H)
        return x @ weight_ih[rows].t() + bias_ih[rows] + h @ weight_hh[rows].t() + bias_hh[rows]

    input_gate = torch.sigmoid(pre(0))
    forget_gate = torch.sigmoid(pre(1))
    candidate = torch.tanh(pre(2))
    output_gate = torch.sigmoid(pre(3))
    c_new = forget_gate * c + input_gate * candidate
    return output_gate * torch.tanh(c_new), c_new
