# mistake: accumulates W_hh's gradient with the current state H_s instead of the previous state H_{s-1}
import torch


def rnn_bptt(X, H0, W_xh, W_hh, b_h, W_hq, b_q, dO, truncate=None):
    T = X.shape[0]
    hidden = [H0]
    for t in range(T):
        a = X[t] @ W_xh + hidden[-1] @ W_hh + b_h
        hidden.append(torch.tanh(a))
    out = dict(W_xh=torch.zeros_like(W_xh), W_hh=torch.zeros_like(W_hh), b_h=torch.zeros_like(b_h),
               W_hq=torch.zeros_like(W_hq), b_q=torch.zeros_like(b_q), H0=torch.zeros_like(H0))
    window = T + 1 if truncate is None else truncate
    for t in range(1, T + 1):
        out["W_hq"] += hidden[t].T @ dO[t - 1]
        out["b_q"] += dO[t - 1].sum(0)
        G = dO[t - 1] @ W_hq.T
        for s in range(t, max(1, t - window + 1) - 1, -1):
            d = G * (1 - hidden[s] ** 2)
            out["W_xh"] += X[s - 1].T @ d
            out["W_hh"] += hidden[s].T @ d
            out["b_h"] += d.sum(0)
            G = d @ W_hh.T
        if t < window:
            out["H0"] += G
    return out
