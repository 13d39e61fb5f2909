"""Chapter 9 - backpropagation through time (BPTT) for a vanilla RNN.

Write rnn_bptt: the gradients of L = Σ_t <dO_t, O_t> by hand, optionally truncated.
Read the lesson with `tutor start`; `tutor hint chapter9/bptt` when stuck.
Grade it with: tutor check chapter9/bptt
"""

import torch


def rnn_bptt(X, H0, W_xh, W_hh, b_h, W_hq, b_q, dO, truncate=None):
    """Gradients of L = sum_t <dO_t, O_t> for H_t = tanh(X_t W_xh + H_{t-1} W_hh + b_h), O_t = H_t W_hq + b_q.

    X (T, B, D), H0 (B, H), W_xh (D, H), W_hh (H, H), b_h (H,), W_hq (H, Q), b_q (Q,), dO (T, B, Q).
    truncate=None is full BPTT; truncate=k lets the gradient of O_t reach H_s only for t-k < s <= t.
    Returns {"W_xh": ..., "W_hh": ..., "b_h": ..., "W_hq": ..., "b_q": ..., "H0": ...}, each shaped like
    its parameter. No autograd: no .backward(), no torch.autograd.
    """
    raise NotImplementedError("rnn_bptt: write me")
