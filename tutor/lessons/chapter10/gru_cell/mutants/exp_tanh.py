# diagnosis: generic.nonfinite
# tanh written out with exponentials: inf / inf = NaN once a pre-activation passes about 44 (float32).
import torch


def _tanh(a):
    e = torch.exp(2 * a)
    return (e - 1) / (e + 1)


def gru_cell(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    i_r, i_z, i_n = (x @ weight_ih.T + bias_ih).chunk(3, dim=-1)
    h_r, h_z, h_n = (h @ weight_hh.T + bias_hh).chunk(3, dim=-1)
    r = 1 / (1 + torch.exp(-(i_r + h_r)))
    z = 1 / (1 + torch.exp(-(i_z + h_z)))
    n = _tanh(i_n + r * h_n)
    return (1 - z) * n + z * h
