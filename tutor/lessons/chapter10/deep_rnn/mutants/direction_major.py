# diagnosis: deep_rnn.direction_major
# Runs one whole stack per direction in the right way, but numbers h0 and h_n direction by
# direction: all forward layers first, then all backward layers.
import torch


def deep_rnn(X, params, num_layers, bidirectional=False, h0=None):
    n_dir = 2 if bidirectional else 1
    T, B = X.shape[:2]
    H = params["weight_hh_l0"].shape[0]
    if h0 is None:
        h0 = X.new_zeros(num_layers * n_dir, B, H)
    inp = X
    finals = [None] * (num_layers * n_dir)
    for k in range(num_layers):
        halves = []
        for d, s in enumerate(["", "_reverse"][:n_dir]):
            W_ih, W_hh, b_ih, b_hh = (params[f"{n}_l{k}{s}"] for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
            h, states = h0[d * num_layers + k], [None] * T
            for t in (range(T - 1, -1, -1) if d else range(T)):
                h = torch.tanh(inp[t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh)
                states[t] = h
            halves.append(torch.stack(states))
            finals[d * num_layers + k] = h
        inp = torch.cat(halves, dim=-1)
    return inp, torch.stack(finals)
