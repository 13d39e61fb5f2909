# mistake: writes the efficient single backward sweep of full BPTT and never uses the truncate argument
import torch


def rnn_bptt(X, H0, W_xh, W_hh, b_h, W_hq, b_q, dO, truncate=None):
    T = X.shape[0]
    Hs = [H0]
    for t in range(T):
        Hs.append(torch.tanh(X[t] @ W_xh + Hs[-1] @ W_hh + b_h))
    H_all = torch.stack(Hs[1:])                      # (T, B, H)
    dW_hq = torch.einsum("tbh,tbq->hq", H_all, dO)
    db_q = dO.sum(dim=(0, 1))
    dW_xh = torch.zeros_like(W_xh)
    dW_hh = torch.zeros_like(W_hh)
    db_h = torch.zeros_like(b_h)
    dH_next = torch.zeros_like(H0)
    for t in reversed(range(T)):
        G = dO[t] @ W_hq.T + dH_next
        delta = G * (1 - Hs[t + 1] ** 2)
        dW_xh += X[t].T @ delta
        dW_hh += Hs[t].T @ delta
        db_h += delta.sum(dim=0)
        dH_next = delta @ W_hh.T
    return {"W_xh": dW_xh, "W_hh": dW_hh, "b_h": db_h, "W_hq": dW_hq, "b_q": db_q, "H0": dH_next}
