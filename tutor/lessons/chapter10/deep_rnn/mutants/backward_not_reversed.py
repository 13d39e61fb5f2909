# diagnosis: deep_rnn.backward_not_reversed
# Runs the backward direction over the flipped sequence but never flips its states back.
import torch


def run(X, h, W_ih, W_hh, b_ih, b_hh):
    states = []
    for x in X:
        h = torch.tanh(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)
        states.append(h)
    return torch.stack(states)


def deep_rnn(X, params, num_layers, bidirectional=False, h0=None):
    n_dir = 2 if bidirectional else 1
    H = params["weight_hh_l0"].shape[0]
    if h0 is None:
        h0 = X.new_zeros(num_layers * n_dir, X.shape[1], H)
    inp, finals = X, []
    for k in range(num_layers):
        halves = []
        for d, s in enumerate(["", "_reverse"][:n_dir]):
            w = [params[f"{n}_l{k}{s}"] for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
            states = run(inp.flip(0) if d == 1 else inp, h0[k * n_dir + d], *w)
            halves.append(states)
            finals.append(states[-1])
        inp = torch.cat(halves, dim=-1)
    return inp, torch.stack(finals)
