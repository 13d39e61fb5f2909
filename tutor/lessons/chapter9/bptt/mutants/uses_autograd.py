# diagnosis: any
# verdict: forbidden
# Lets autograd do the work: the grader must say forbidden.
import torch


def rnn_bptt(X, H0, W_xh, W_hh, b_h, W_hq, b_q, dO, truncate=None):
    params = [p.detach().clone().requires_grad_(True) for p in (W_xh, W_hh, b_h, W_hq, b_q, H0)]
    w_xh, w_hh, bh, w_hq, bq, h = params
    loss = 0
    for t in range(X.shape[0]):
        h = torch.tanh(X[t] @ w_xh + h @ w_hh + bh)
        loss = loss + (dO[t] * (h @ w_hq + bq)).sum()
    loss.backward()
    return dict(zip(("W_xh", "W_hh", "b_h", "W_hq", "b_q", "H0"), (p.grad for p in params)))
