# mistake: lets the gradient of O_t reach k + 1 states (down to H_{t-k}) instead of k under truncate=k
import torch


def rnn_bptt(X, H0, W_xh, W_hh, b_h, W_hq, b_q, dO, truncate=None):
    T, B, D = X.shape
    states = [H0]
    for t in range(T):
        states.append(torch.tanh(X[t] @ W_xh + states[t] @ W_hh + b_h))
    dW_xh = torch.zeros_like(W_xh)
    dW_hh = torch.zeros_like(W_hh)
    db_h = torch.zeros_like(b_h)
    dW_hq = torch.zeros_like(W_hq)
    db_q = torch.zeros_like(b_q)
    dH0 = torch.zeros_like(H0)
    for t in range(1, T + 1):
        dW_hq += states[t].T @ dO[t - 1]
        db_q += dO[t - 1].sum(0)
        last = 1 if truncate is None else max(1, t - truncate)
        dH = dO[t - 1] @ W_hq.T
        for s in range(t, last - 1, -1):
            delta = dH * (1 - states[s] ** 2)
            dW_xh += X[s - 1].T @ delta
            dW_hh += states[s - 1].T @ delta
            db_h += delta.sum(0)
            dH = delta @ W_hh.T
        if truncate is None or t - truncate <= 0:
            dH0 += dH
    return {"W_xh": dW_xh, "W_hh": dW_hh, "b_h": db_h, "W_hq": dW_hq, "b_q": db_q, "H0": dH0}
