import math

import torch


def positional_encoding(num_steps, num_hiddens):
    """Entry by entry, straight from the definition."""
    P = torch.zeros(num_steps, num_hiddens)
    for i in range(num_steps):
        for col in range(num_hiddens):
            two_j = col - col % 2                       # both columns of a pair use the even index
            angle = i / 10000 ** (two_j / num_hiddens)
            P[i, col] = math.sin(angle) if col % 2 == 0 else math.cos(angle)
    return P
