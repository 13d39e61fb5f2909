# diagnosis: lstm.sigmoid_candidate
# A sigmoid for the candidate too.
import torch


def lstm_cell(x: torch.Tensor, h: torch.Tensor, c: torch.Tensor, weight_ih: torch.Tensor, weight_hh: torch.Tensor,
              bias_ih: torch.Tensor, bias_hh: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    gates = x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh
    i, f, g, o = gates.chunk(4, dim=-1)
    c_new = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.sigmoid(g)
    h_new = torch.sigmoid(o) * torch.tanh(c_new)  # the new cell, squashed
    return h_new, c_new
