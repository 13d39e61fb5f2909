"""Scenarios of chapter3/linear_regression. Checks whose batch holds the whole data set do not depend
on the learner's shuffling, so they compare every number with the reference; the training check
compares the end point with the closed-form least-squares solution (the `closed_form` oracle,
torch.linalg.lstsq on the trusted side only) and streams the learner's loss as it goes."""

import math
from types import SimpleNamespace

import numpy as np
import torch

from tutor.grader import kit

F = "train_linear_regression"


def closed_form():
    """Stands in for the learner's module in the training check: the exact least-squares (w, b).
    It reports the optimum's loss at every step, a flat line for the plot to approach."""

    def train(X, y, lr, batch_size, epochs, generator, on_loss=None):
        A = torch.cat([X.double(), torch.ones(len(X), 1, dtype=torch.float64)], dim=1)
        solution = torch.linalg.lstsq(A, y.double()[:, None]).solution[:, 0]
        w, b = solution[:-1].to(X.dtype), solution[-1].to(X.dtype)
        if on_loss is not None:
            best = float((0.5 * (X @ w + b - y) ** 2).mean())
            for _ in range(epochs * math.ceil(len(X) / batch_size)):
                on_loss(best)
        return w, b

    return SimpleNamespace(train_linear_regression=train)


def regression_data(ctx, n, d, noise, dtype=torch.float32):
    g = ctx.generator()
    X = torch.randn(n, d, generator=g, dtype=torch.float64)
    w_true = 2 * torch.randn(d, generator=g, dtype=torch.float64)
    y = X @ w_true + 4.2 + noise * torch.randn(n, generator=g, dtype=torch.float64)
    return X.to(dtype), y.to(dtype)


def as_bias(b):
    """A one-element tensor as a 0-d one (torch.zeros(1) is as good a bias as torch.zeros(()))."""
    if isinstance(b, torch.Tensor) and b.numel() == 1:
        return b.detach().reshape(())
    return b


def fit(module, X, y, lr, batch_size, epochs, generator, ctx=None):
    losses = []

    def on_loss(value):
        losses.append(float(value))
        if ctx is not None:
            ctx.emit("loss", len(losses), losses[-1])

    out = kit.call(module, F, X, y, lr, batch_size, epochs, generator, on_loss)
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise TypeError(f"{F} should return a pair (w, b), got {type(out).__name__}")
    w, b = out
    return {"w": w.detach() if isinstance(w, torch.Tensor) else w, "b": as_bias(b), "losses": losses}


LESSON_X = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 1.0]]
LESSON_Y = [1.0, 2.0, 3.0, 4.0]


def lesson_example(module, ctx):
    X = torch.tensor(LESSON_X, dtype=torch.float64)
    y = torch.tensor(LESSON_Y, dtype=torch.float64)
    return fit(module, X, y, 0.1, 4, 2, ctx.generator())


def partial_batch(module, ctx):
    """batch_size 10 for 6 examples: every epoch is one batch of 6, whatever the order."""
    X, y = regression_data(ctx, 6, 3, 0.5, torch.float64)
    return fit(module, X, y, 0.2, 10, 3, ctx.generator(1))


def steps_per_epoch(module, ctx):
    X, y = regression_data(ctx, 10, 2, 0.1)
    result = fit(module, X, y, 0.05, 4, 3, ctx.generator(1))
    return {"steps": len(result["losses"]), "finite": bool(all(math.isfinite(v) for v in result["losses"]))}


def deterministic(module, ctx):
    X, y = regression_data(ctx, 30, 3, 0.1)
    X0, y0 = X.clone(), y.clone()
    first = fit(module, X, y, 0.05, 7, 2, torch.Generator().manual_seed(ctx.seed))
    with kit.seeded(ctx.seed + 1):  # another global random state: must not matter
        second = fit(module, X, y, 0.05, 7, 2, torch.Generator().manual_seed(ctx.seed))
    same = all(isinstance(first[k], torch.Tensor) and isinstance(second[k], torch.Tensor) and
               torch.equal(first[k], second[k]) for k in ("w", "b"))
    return {"same": bool(same), "inputs_unchanged": bool(torch.equal(X, X0) and torch.equal(y, y0))}


def train_to_closed_form(module, ctx):
    X, y = regression_data(ctx, 1000, 5, 0.01)
    result = fit(module, X, y, 0.05, 10, 3, ctx.generator(1), ctx)
    w, b = result["w"], result["b"]
    final = float("nan")
    if isinstance(w, torch.Tensor) and w.shape == (5,) and isinstance(b, torch.Tensor) and b.dim() == 0:
        final = float((0.5 * (X @ w + b - y) ** 2).mean())
    return {"final_loss": final, "w": w, "b": b, "y_mean": float(y.mean())}


# -- judging ------------------------------------------------------------------------------------

def judge_fit(got, expected, jc):
    for key, what in (("w", "w"), ("b", "b"), ("losses", "the losses passed to on_loss")):
        m = kit.compare_plain(got[key], expected[key], what=what, rtol=1e-6, atol=1e-9)
        if m:
            known = _variant_by_parameters(got, jc)
            return jc.fail(m.message, known, m.details) if known else m
    return None


def _variant_by_parameters(got, jc):
    """The known mistake whose w and b the learner's match: what a learner reports to on_loss (a sum
    or a mean, before or after the step) varies more than the parameters a mistake leads to."""
    found = [d for d, r in jc.variants().items() if isinstance(r, dict) and all(
        kit.compare_plain(got[k], r.get(k), rtol=1e-6, atol=1e-9) is None for k in ("w", "b"))]
    preferred = [d for d in found if d in jc.named]
    return (preferred or found or [None])[0]


def judge_steps(got, expected, jc):
    steps, want = got["steps"], expected["steps"]
    if steps == want:
        return None if got["finite"] else "some loss passed to on_loss is not finite"
    where = "10 examples, batch_size 4, 3 epochs"
    if steps == 2 * 3:
        return jc.fail(f"{where}: on_loss was called {steps} times, 2 steps per epoch; with the last batch of 2 "
                       f"there are {want} steps", "linreg.drops_last_batch")
    return (f"{where}: on_loss should be called once per step, {want} times (3 batches of 4, 4 and 2, per epoch); "
            f"it was called {steps} times")


def judge_deterministic(got, expected, jc):
    if not got["inputs_unchanged"]:
        return jc.fail("training changed X or y", "generic.input_mutated")
    if not got["same"]:
        return jc.fail("two runs with generators seeded alike ended at different weights", "linreg.ignores_generator")
    return None


def detect_training(got, expected):
    """Read the classic mistakes off the end point of the long run."""
    w, b = got.get("w"), got.get("b")
    if not isinstance(w, np.ndarray) or not isinstance(b, np.ndarray) or b.size != 1:
        return None
    want_w = expected["w"]
    if w.size == want_w.size and np.abs(w).max() < 0.05 * np.abs(want_w).max() and \
            abs(float(b) - got["y_mean"]) < 0.05 * max(1.0, abs(got["y_mean"])):
        return "linreg.broadcast_matrix"
    if float(b) == 0.0 and float(expected["b"]) != 0.0:
        return "linreg.bias_frozen"
    return None
