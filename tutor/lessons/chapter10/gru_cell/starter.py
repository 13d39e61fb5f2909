"""Chapter 10 - GRU cell.

Write gru_cell: one step of a gated recurrent unit, with torch.nn.GRUCell's weights (stacked in
the order reset, update, candidate). Read the lesson with `tutor start`, or ask
`tutor hint chapter10/gru_cell` when stuck.
Grade it with: tutor check chapter10/gru_cell
"""

import torch


def gru_cell(x: torch.Tensor, h: torch.Tensor, weight_ih: torch.Tensor, weight_hh: torch.Tensor,
             bias_ih: torch.Tensor, bias_hh: torch.Tensor) -> torch.Tensor:
    """The next hidden state, shape (B, H), from x (B, D) and h (B, H).

    weight_ih is (3H, D), weight_hh is (3H, H), bias_ih and bias_hh are (3H,): each stacks the
    blocks for the reset gate r, the update gate z and the candidate n, in that order.
    """
    raise NotImplementedError("gru_cell: write me")
