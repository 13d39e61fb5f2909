"""Correct: the backward direction is the forward loop over the time-flipped sequence, flipped
back afterwards; every step's input product is computed in one matrix product before the loop;
h0 is viewed as (layers, directions, B, H)."""

import torch


def run(X, h, W_ih, W_hh, b_ih, b_hh):
    projected = torch.matmul(X, W_ih.t()) + b_ih + b_hh  # (T, B, H): x_t W_ihᵀ for every t at once
    states = []
    for p in projected:
        h = torch.tanh(p + torch.matmul(h, W_hh.t()))
        states.append(h)
    return torch.stack(states)


def deep_rnn(X, params, num_layers, bidirectional=False, h0=None):
    n_dir = 2 if bidirectional else 1
    T, B, _ = X.shape
    H = params["weight_hh_l0"].shape[1]
    if h0 is None:
        h0 = torch.zeros(num_layers * n_dir, B, H, dtype=X.dtype)
    h0 = h0.reshape(num_layers, n_dir, B, H)
    finals = []
    for k in range(num_layers):
        def weights(suffix):
            return [params[name + f"_l{k}" + suffix] for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]

        forward = run(X, h0[k, 0], *weights(""))
        halves, finals_k = [forward], [forward[-1]]
        if bidirectional:
            backward = run(X.flip(0), h0[k, 1], *weights("_reverse")).flip(0)
            halves.append(backward)
            finals_k.append(backward[0])  # the backward pass ends at the first time step
        X = torch.cat(halves, dim=2)
        finals.extend(finals_k)
    return X, torch.stack(finals, dim=0)
