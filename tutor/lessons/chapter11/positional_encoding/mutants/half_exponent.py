# diagnosis: pe.half_exponent
import torch


def positional_encoding(num_steps, num_hiddens):
    position = torch.arange(num_steps, dtype=torch.float64)[:, None]
    two_j = torch.arange(0, (num_hiddens + 1) // 2, dtype=torch.float64)  # j, not 2j
    angles = position / torch.pow(10000.0, two_j / num_hiddens)
    P = torch.empty(num_steps, num_hiddens, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angles)
    P[:, 1::2] = torch.cos(angles[:, : num_hiddens // 2])
    return P.to(torch.float32)
