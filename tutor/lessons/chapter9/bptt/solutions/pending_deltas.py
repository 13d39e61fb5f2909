"""Correct, written differently: one backward sweep that carries a list of in-flight gradients,
one per output, each dropped once it has travelled `truncate` steps back."""

import torch


def rnn_bptt(X, H0, W_xh, W_hh, b_h, W_hq, b_q, dO, truncate=None):
    T = len(X)
    states = [H0]
    for x in X:
        states.append(torch.tanh(x @ W_xh + states[-1] @ W_hh + b_h))
    hidden = torch.stack(states[1:])                      # (T, B, H)
    d_W_hq = torch.einsum("tbh,tbq->hq", hidden, dO)
    d_b_q = dO.sum(dim=(0, 1))
    d_W_xh, d_W_hh, d_b_h = W_xh * 0, W_hh * 0, b_h * 0
    budget = T + 1 if truncate is None else truncate
    pending = []                                          # [gradient w.r.t. H_s, steps left]
    for s in range(T, 0, -1):
        pending.append([dO[s - 1] @ W_hq.T, budget])
        local = 1 - states[s] ** 2
        d_pre = sum(d for d, _ in pending) * local        # dL/d(pre-activation at s)
        d_W_xh = d_W_xh + torch.einsum("bd,bh->dh", X[s - 1], d_pre)
        d_W_hh = d_W_hh + torch.einsum("bi,bh->ih", states[s - 1], d_pre)
        d_b_h = d_b_h + d_pre.sum(0)
        pending = [[(d * local) @ W_hh.T, left - 1] for d, left in pending if left - 1 > 0]
    d_H0 = sum((d for d, _ in pending), H0 * 0)
    return {"W_xh": d_W_xh, "W_hh": d_W_hh, "b_h": d_b_h, "W_hq": d_W_hq, "b_q": d_b_q, "H0": d_H0}
