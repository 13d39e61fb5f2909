# mistake: passes the gradient back through the hidden states without multiplying by tanh's derivative 1 - H^2
import torch


def rnn_bptt(X, H0, W_xh, W_hh, b_h, W_hq, b_q, dO, truncate=None):
    T = X.shape[0]
    H = [H0]
    for t in range(T):
        H.append(torch.tanh(X[t] @ W_xh + H[-1] @ W_hh + b_h))
    g = {"W_xh": torch.zeros_like(W_xh), "W_hh": torch.zeros_like(W_hh), "b_h": torch.zeros_like(b_h),
         "W_hq": torch.zeros_like(W_hq), "b_q": torch.zeros_like(b_q), "H0": torch.zeros_like(H0)}
    k = T + 1 if truncate is None else truncate
    for t in range(1, T + 1):
        g["W_hq"] += H[t].T @ dO[t - 1]
        g["b_q"] += dO[t - 1].sum(dim=0)
        dH = dO[t - 1] @ W_hq.T
        for s in range(t, max(1, t - k + 1) - 1, -1):
            delta = dH
            g["W_xh"] += X[s - 1].T @ delta
            g["W_hh"] += H[s - 1].T @ delta
            g["b_h"] += delta.sum(dim=0)
            dH = delta @ W_hh.T
        if t < k:
            g["H0"] += dH
    return g
