# diagnosis: gru.update_flipped
# z keeps the candidate instead of the old state.
import torch


def gru_cell(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    i_r, i_z, i_n = (x @ weight_ih.T + bias_ih).chunk(3, dim=-1)
    h_r, h_z, h_n = (h @ weight_hh.T + bias_hh).chunk(3, dim=-1)
    r = torch.sigmoid(i_r + h_r)
    z = torch.sigmoid(i_z + h_z)
    n = torch.tanh(i_n + r * h_n)
    return z * n + (1 - z) * h
