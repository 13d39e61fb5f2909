"""Chapter 10 - Deep and bidirectional RNNs.

Write deep_rnn: a stack of tanh RNN layers, optionally bidirectional, with torch.nn.RNN's
parameter names and output layout. Read the lesson with `tutor start`, or ask
`tutor hint chapter10/deep_rnn` when stuck.
Grade it with: tutor check chapter10/deep_rnn
"""

import torch


def deep_rnn(X: torch.Tensor, params: dict[str, torch.Tensor], num_layers: int, bidirectional: bool = False,
             h0: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """(outputs, h_n) of a stack of num_layers tanh RNN layers run over X (T, B, D).

    params holds torch.nn.RNN's tensors: weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}
    and, when bidirectional, the same four with the suffix _reverse. h0 is (num_layers·n_dir, B, H),
    or None for zeros. outputs is (T, B, n_dir·H), forward half first; h_n is (num_layers·n_dir, B, H),
    layer by layer, forward before backward (n_dir = 2 when bidirectional, else 1).
    """
    raise NotImplementedError("deep_rnn: write me")
