"""Checks of chapter3/ridge_lasso that need code: the zero-feature input, a NaN detector, and the
training scenario that runs 200 steps under each penalty, streams the three objectives and shows
the effect on the weights (L2: the closed-form ridge solution; L1: exact zeros)."""

import numpy as np
import torch

from tutor.grader import kit

STEPS, LR = 200, 0.2
RUNS = (("none", 0.0, "no penalty"), ("l2", 0.5, "L2, λ = 0.5"), ("l1", 0.2, "L1, λ = 0.2"))
W_TRUE = [3.0, -2.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0]


def zero_feature(ctx):
    """Feature 2 is 0 in every example and its weight is 0: under L1 its z is exactly 0."""
    g = ctx.generator()
    X = torch.randn(6, 4, generator=g, dtype=torch.float64)
    X[:, 2] = 0
    w = torch.randn(4, generator=g, dtype=torch.float64)
    w[2] = 0
    return {"w": w, "b": torch.tensor(0.5, dtype=torch.float64), "X": X,
            "y": torch.randn(6, generator=g, dtype=torch.float64), "lr": 0.1, "lam": 0.3, "penalty": "l1"}


def detect_nan(got, expected):
    out = got.get("out") if isinstance(got, dict) else None
    if isinstance(out, list) and out and isinstance(out[0], np.ndarray) and np.isnan(out[0]).any():
        return "lasso.sign_at_zero"
    return None


def objective(w, b, X, y, lam, penalty):
    data = 0.5 * ((X @ w + b - y) ** 2).mean()
    if penalty == "l2":
        return float(data + lam / 2 * (w * w).sum())
    if penalty == "l1":
        return float(data + lam * w.abs().sum())
    return float(data)


def ridge(X, y, lam):
    """The closed-form minimiser of the L2 objective, bias unpenalised (centre, then solve)."""
    Xc, yc = X - X.mean(0), y - y.mean()
    w = torch.linalg.solve(Xc.T @ Xc / len(y) + lam * torch.eye(X.shape[1], dtype=X.dtype), Xc.T @ yc / len(y))
    return w, (y - X @ w).mean()


def effect(module, ctx):
    g = ctx.generator()
    X = torch.randn(200, len(W_TRUE), generator=g, dtype=torch.float64)
    y = X @ torch.tensor(W_TRUE, dtype=torch.float64) + 1.0 + 0.5 * torch.randn(200, generator=g, dtype=torch.float64)
    step = kit.function(module, "penalized_step")
    out = {}
    for penalty, lam, label in RUNS:
        w, b = torch.zeros(len(W_TRUE), dtype=torch.float64), torch.zeros((), dtype=torch.float64)
        for t in range(1, STEPS + 1):
            result = step(w, b, X, y, LR, lam, penalty)
            if not (isinstance(result, (tuple, list)) and len(result) == 2 and
                    all(isinstance(v, torch.Tensor) for v in result)):
                raise TypeError(f"penalized_step should return a pair of tensors (w, b), got {type(result).__name__}")
            w, b = (v.detach() for v in result)
            ctx.emit(f"objective, {label}", t, objective(w, b, X, y, lam, penalty))
        out[penalty] = {"w": w, "b": b, "objective": objective(w, b, X, y, lam, penalty)}
    w_ridge, b_ridge = ridge(X, y, 0.5)
    out["ridge"] = {"w": w_ridge, "b": b_ridge}
    return out


def judge_effect(got, expected, jc):
    for penalty, lam, label in RUNS:
        for key in ("w", "b"):
            m = kit.compare_plain(got[penalty][key], expected[penalty][key],
                                  what=f"{label}: {key} after {STEPS} steps", rtol=1e-6, atol=1e-9)
            if m:
                return m
    norms = {p: float(np.linalg.norm(got[p]["w"])) for p, _, _ in RUNS}
    zeros = {p: int((got[p]["w"] == 0).sum()) for p, _, _ in RUNS}
    to_ridge = float(np.abs(got["l2"]["w"] - expected["ridge"]["w"]).max())
    d = len(W_TRUE)
    return kit.Judgement("pass", (
        f"‖w‖ without a penalty {norms['none']:.3f}; with L2 {norms['l2']:.3f}, the closed-form ridge solution to "
        f"within {to_ridge:.1e}; with L1 {norms['l1']:.3f}, and {zeros['l1']} of {d} weights exactly 0 "
        f"(L2: {zeros['l2']}, none: {zeros['none']}). Only the first 3 features matter."))
