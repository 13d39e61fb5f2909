"""Correct: a preallocated output filled step by step, products written with einsum."""

import torch


def rnn_forward(X: torch.Tensor, H0: torch.Tensor, W_xh: torch.Tensor, W_hh: torch.Tensor,
                b_h: torch.Tensor) -> torch.Tensor:
    steps = X.shape[0]
    outputs = X.new_zeros(steps, H0.shape[0], H0.shape[1])
    state = H0
    for t in range(steps):
        pre_activation = torch.einsum("bd,dh->bh", X[t], W_xh) + torch.einsum("bi,ih->bh", state, W_hh) + b_h
        state = pre_activation.tanh()
        outputs[t] = state
    return outputs
