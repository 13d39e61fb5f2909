"""Chapter 9 - the forward pass of a recurrent neural network.

Write rnn_forward: H_t = tanh(X_t W_xh + H_{t-1} W_hh + b_h) for t = 1 ... T, and return every H_t.
`tutor hint chapter9/rnn_forward` when stuck. Grade it with: tutor check chapter9/rnn_forward
"""

import torch


def rnn_forward(X: torch.Tensor, H0: torch.Tensor, W_xh: torch.Tensor, W_hh: torch.Tensor,
                b_h: torch.Tensor) -> torch.Tensor:
    """Every hidden state of a vanilla tanh RNN.

    X (T, B, D): the inputs, time first; H0 (B, H): the state before the first step;
    W_xh (D, H), W_hh (H, H), b_h (H,). Returns H_1 ... H_T stacked: shape (T, B, H), X's dtype.
    """
    raise NotImplementedError("rnn_forward: write me")
