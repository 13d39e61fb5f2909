# diagnosis: gru.book_reset
# The book's placement: the reset gate scales h before the product with W_hn (and not the bias).
import torch


def gru_cell(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    W_ir, W_iz, W_in = weight_ih.chunk(3)
    W_hr, W_hz, W_hn = weight_hh.chunk(3)
    b_ir, b_iz, b_in = bias_ih.chunk(3)
    b_hr, b_hz, b_hn = bias_hh.chunk(3)
    r = torch.sigmoid(x @ W_ir.T + b_ir + h @ W_hr.T + b_hr)
    z = torch.sigmoid(x @ W_iz.T + b_iz + h @ W_hz.T + b_hz)
    n = torch.tanh(x @ W_in.T + b_in + (r * h) @ W_hn.T + b_hn)
    return (1 - z) * n + z * h
