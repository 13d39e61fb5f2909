# diagnosis: deep_rnn.forward_half_only
# Feeds layer k > 0 the forward half only, as written without a second thought: layer 1's product
# then fails on its shapes (weight_ih_l1 has 2H columns), which the layer_input check recognises.
import torch


def deep_rnn(X, params, num_layers, bidirectional=False, h0=None):
    dirs = 2 if bidirectional else 1
    B, H = X.shape[1], params["weight_hh_l0"].shape[0]
    h0 = X.new_zeros(num_layers * dirs, B, H) if h0 is None else h0
    finals, inp = [], X
    for k in range(num_layers):
        outs = []
        for d in range(dirs):
            s = f"_l{k}" + ("_reverse" if d else "")
            h, seq = h0[k * dirs + d], (inp.flip(0) if d else inp)
            hs = []
            for x in seq:
                h = torch.tanh(x @ params["weight_ih" + s].T + params["bias_ih" + s]
                               + h @ params["weight_hh" + s].T + params["bias_hh" + s])
                hs.append(h)
            finals.append(h)
            outs.append(torch.stack(hs[::-1] if d else hs))
        inp = outs[0]
    return torch.cat(outs, -1), torch.stack(finals)
