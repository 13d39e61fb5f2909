# diagnosis: any
# verdict: forbidden
"""One step at a time through the fused cell operator, reached through the dispatcher's namespace."""

import torch


def rnn_forward(X, H0, W_xh, W_hh, b_h):
    h, out = H0, []
    for x in X:
        h = torch.ops.aten.rnn_tanh_cell(x, h, W_xh.T, W_hh.T, b_h, torch.zeros_like(b_h))
        out.append(h)
    return torch.stack(out)
