import torch


def positional_encoding(num_steps: int, num_hiddens: int) -> torch.Tensor:
    position = torch.arange(num_steps, dtype=torch.float64)[:, None]        # i, as a column
    two_j = torch.arange(0, num_hiddens, 2, dtype=torch.float64)            # 2j: the even columns
    angles = position / torch.pow(10000.0, two_j / num_hiddens)            # (num_steps, ⌈d/2⌉)
    P = torch.empty(num_steps, num_hiddens, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angles)                                          # columns 2j
    P[:, 1::2] = torch.cos(angles[:, : num_hiddens // 2])                   # columns 2j + 1 (none past d)
    return P.to(torch.float32)
