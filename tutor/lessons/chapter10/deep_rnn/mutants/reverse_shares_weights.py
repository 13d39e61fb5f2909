# diagnosis: deep_rnn.reverse_shares_weights
# Walks the backward direction correctly but with the forward direction's parameters.
import torch


def deep_rnn(X, params, num_layers, bidirectional=False, h0=None):
    n_dir = 2 if bidirectional else 1
    T, B = X.shape[:2]
    H = params["weight_hh_l0"].shape[0]
    if h0 is None:
        h0 = X.new_zeros(num_layers * n_dir, B, H)
    inp, finals = X, []
    for k in range(num_layers):
        W_ih, W_hh, b_ih, b_hh = (params[f"{n}_l{k}"] for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
        halves = []
        for d in range(n_dir):
            h, states = h0[k * n_dir + d], [None] * T
            for t in (range(T - 1, -1, -1) if d else range(T)):
                h = torch.tanh(inp[t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh)
                states[t] = h
            halves.append(torch.stack(states))
            finals.append(h)
        inp = torch.cat(halves, dim=-1)
    return inp, torch.stack(finals)
