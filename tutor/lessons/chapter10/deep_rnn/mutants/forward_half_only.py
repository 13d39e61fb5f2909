# diagnosis: deep_rnn.forward_half_only
# Feeds layer k > 0 only the forward half of the layer below (and, to make the shapes fit,
# only the first H columns of weight_ih_l{k}).
import torch


def deep_rnn(X, params, num_layers, bidirectional=False, h0=None):
    n_dir = 2 if bidirectional else 1
    T, B = X.shape[:2]
    H = params["weight_hh_l0"].shape[0]
    if h0 is None:
        h0 = X.new_zeros(num_layers * n_dir, B, H)
    inp, finals = X, []
    for k in range(num_layers):
        halves = []
        for d, s in enumerate(["", "_reverse"][:n_dir]):
            W_ih, W_hh, b_ih, b_hh = (params[f"{n}_l{k}{s}"] for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
            W_ih = W_ih[:, :inp.shape[-1]]
            h, states = h0[k * n_dir + d], [None] * T
            for t in (range(T - 1, -1, -1) if d else range(T)):
                h = torch.tanh(inp[t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh)
                states[t] = h
            halves.append(torch.stack(states))
            finals.append(h)
        out = torch.cat(halves, dim=-1)
        inp = halves[0]
    return out, torch.stack(finals)
