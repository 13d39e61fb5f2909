"""Correct: the stacked weights viewed as (4, H, ·) and contracted with einsum, the gates unpacked
from the leading axis, sigmoid written through tanh (σ(a) = (1 + tanh(a/2)) / 2)."""

import torch


def lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    H = h.shape[-1]
    pre = (torch.einsum("bd,khd->kbh", x, weight_ih.reshape(4, H, -1))
           + torch.einsum("bj,khj->kbh", h, weight_hh.reshape(4, H, H))
           + (bias_ih + bias_hh).reshape(4, 1, H))
    i, f, o = ((1 + torch.tanh(pre[[0, 1, 3]] / 2)) / 2).unbind(0)
    c_new = torch.addcmul(f * c, i, torch.tanh(pre[2]))
    return o * c_new.tanh(), c_new
