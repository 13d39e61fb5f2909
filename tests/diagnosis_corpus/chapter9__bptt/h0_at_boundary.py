# mistake: gives H0 the gradient of O_t whenever t <= k, including t == k where H0 is the constant end of the window
import torch


def rnn_bptt(X, H0, W_xh, W_hh, b_h, W_hq, b_q, dO, truncate=None):
    T = X.shape[0]
    k = T + 1 if truncate is None else truncate
    Hs = [H0]
    for x in X:
        Hs.append(torch.tanh(x @ W_xh + Hs[-1] @ W_hh + b_h))
    grads = {name: torch.zeros_like(p) for name, p in
             [("W_xh", W_xh), ("W_hh", W_hh), ("b_h", b_h), ("W_hq", W_hq), ("b_q", b_q), ("H0", H0)]}
    for t in range(1, T + 1):
        grads["W_hq"] += Hs[t].T @ dO[t - 1]
        grads["b_q"] += dO[t - 1].sum(0)
        dH = dO[t - 1] @ W_hq.T
        s = t
        while s >= 1 and s > t - k:
            delta = dH * (1 - Hs[s] * Hs[s])
            grads["W_xh"] += X[s - 1].T @ delta
            grads["W_hh"] += Hs[s - 1].T @ delta
            grads["b_h"] += delta.sum(0)
            dH = delta @ W_hh.T
            s -= 1
        if t <= k:
            grads["H0"] += dH
    return grads
