"""Chapter 10 - LSTM cell.

Write lstm_cell: one step of a long short-term memory cell, with torch.nn.LSTMCell's weights
(stacked in the order input gate, forget gate, candidate, output gate). Read the lesson with
`tutor start`, or ask `tutor hint chapter10/lstm_cell` when stuck.
Grade it with: tutor check chapter10/lstm_cell
"""

import torch


def lstm_cell(x: torch.Tensor, h: torch.Tensor, c: torch.Tensor, weight_ih: torch.Tensor, weight_hh: torch.Tensor,
              bias_ih: torch.Tensor, bias_hh: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The next hidden state and memory cell (h', c'), each (B, H), from x (B, D), h and c (B, H).

    weight_ih is (4H, D), weight_hh is (4H, H), bias_ih and bias_hh are (4H,): each stacks the
    blocks for the input gate i, the forget gate f, the candidate g and the output gate o, in that order.
    """
    raise NotImplementedError("lstm_cell: write me")
