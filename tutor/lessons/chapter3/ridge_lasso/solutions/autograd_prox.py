"""Correct: autograd for the smooth part (data term, plus the L2 penalty), then the proximal step."""

import torch


def penalized_step(w, b, X, y, lr, lam, penalty):
    if penalty == "none":
        smooth_penalty = lambda v: 0.0  # noqa: E731
    elif penalty == "l2":
        smooth_penalty = lambda v: lam / 2 * (v * v).sum()  # noqa: E731
    elif penalty == "l1":
        smooth_penalty = lambda v: 0.0  # noqa: E731 - the L1 part is handled by the proximal step
    else:
        raise ValueError(f"penalty must be 'none', 'l2' or 'l1', not {penalty!r}")
    w_ = w.detach().clone().requires_grad_(True)
    b_ = b.detach().clone().requires_grad_(True)
    objective = 0.5 * ((X @ w_ + b_ - y) ** 2).mean() + smooth_penalty(w_)
    objective.backward()
    with torch.no_grad():
        w_new = w_ - lr * w_.grad
        b_new = b_ - lr * b_.grad
        if penalty == "l1":
            w_new = w_new.sign() * (w_new.abs() - lr * lam).relu()
    return w_new, b_new
