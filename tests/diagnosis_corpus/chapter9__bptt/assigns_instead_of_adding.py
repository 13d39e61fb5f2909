# mistake: assigns the input-weight gradients at each step (dW = X^T delta) instead of adding them up over time
import torch


def rnn_bptt(X, H0, W_xh, W_hh, b_h, W_hq, b_q, dO, truncate=None):
    T = X.shape[0]
    H = [H0]
    for t in range(T):
        H.append(torch.tanh(X[t] @ W_xh + H[t] @ W_hh + b_h))
    dW_xh = torch.zeros_like(W_xh)
    dW_hh = torch.zeros_like(W_hh)
    db_h = torch.zeros_like(b_h)
    dW_hq = torch.zeros_like(W_hq)
    db_q = torch.zeros_like(b_q)
    dH0 = torch.zeros_like(H0)
    k = truncate if truncate is not None else T + 1
    for t in range(1, T + 1):
        dW_hq = dW_hq + H[t].T @ dO[t - 1]
        db_q = db_q + dO[t - 1].sum(0)
        g = dO[t - 1] @ W_hq.T
        for s in range(t, max(1, t - k + 1) - 1, -1):
            delta = g * (1 - H[s] ** 2)
            dW_xh = X[s - 1].T @ delta
            dW_hh = H[s - 1].T @ delta
            db_h = delta.sum(0)
            g = delta @ W_hh.T
        if t < k:
            dH0 = dH0 + g
    return {"W_xh": dW_xh, "W_hh": dW_hh, "b_h": db_h, "W_hq": dW_hq, "b_q": db_q, "H0": dH0}
