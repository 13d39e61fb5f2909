"""Correct: both directions of a layer step in the same loop (forward at t, backward at T-1-t),
outputs written into preallocated slots by index; einsum for the products."""

import torch


def deep_rnn(X, params, num_layers, bidirectional=False, h0=None):
    T, B = X.shape[0], X.shape[1]
    H = params["weight_hh_l0"].size(0)
    suffixes = ["", "_reverse"] if bidirectional else [""]
    n = len(suffixes)
    h_n = []
    inp = X
    for layer in range(num_layers):
        p = [{key: params[f"{key}_l{layer}{s}"] for key in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
             for s in suffixes]
        hs = [h0[layer * n + d] if h0 is not None else X.new_zeros(B, H) for d in range(n)]
        slots = [[None] * T for _ in range(n)]
        for step in range(T):
            for d in range(n):
                t = step if d == 0 else T - 1 - step
                q = p[d]
                pre = torch.einsum("bi,hi->bh", inp[t], q["weight_ih"]) + q["bias_ih"] \
                    + torch.einsum("bj,hj->bh", hs[d], q["weight_hh"]) + q["bias_hh"]
                hs[d] = torch.tanh(pre)
                slots[d][t] = hs[d]
        h_n += hs
        inp = torch.cat([torch.stack(s) for s in slots], dim=-1)
    return inp, torch.stack(h_n)
