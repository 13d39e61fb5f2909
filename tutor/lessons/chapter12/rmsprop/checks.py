"""Scenarios for chapter12/rmsprop: each builds parameters and a loss, drives the module's RMSprop
and returns what the parameters went through. The oracle is torch.optim.RMSprop itself
(`torch_rmsprop`); reference.py must pass like any solution."""

import functools
from types import SimpleNamespace

import numpy as np
import torch

from tutor.grader import kit


def torch_rmsprop():
    """The oracle: stands in for the learner's module, with the plain per-tensor loop."""
    return SimpleNamespace(RMSprop=functools.partial(torch.optim.RMSprop, foreach=False))


def rmsprop(module, params, **hyper):
    return kit.member(module, "RMSprop", "the class ")(params, **hyper)


def bowl(ctx, module, steps, every, n=12, scale=1.0, start_scale=1.0, **hyper):
    return kit.bowl_steps(ctx, lambda ps: rmsprop(module, ps, **hyper), steps, every, n=n, scale=scale,
                          start_scale=start_scale)


# -- the scenarios -------------------------------------------------------------------------------------

def lesson_example(module, ctx):
    p = torch.tensor([1.0, 1.0, 1.0], dtype=torch.float64, requires_grad=True)
    g = torch.tensor([4.0, -1.0, 0.01], dtype=torch.float64)
    return kit.run_steps(rmsprop(module, [p], lr=0.01, alpha=0.75), [p], lambda t: (g * p).sum(), steps=3)


FIRST_STEP_GRADS = [1e-3, -2e-2, 0.5, -7.0, 30.0, -2e3]


def first_step(module, ctx):
    """One step from p = 0 with a known gradient: |Δp| / lr per coordinate, signed (+ = downhill)."""
    g = torch.tensor(FIRST_STEP_GRADS, dtype=torch.float64)
    p = torch.zeros(len(g), dtype=torch.float64, requires_grad=True)
    lr = 0.01
    opt = rmsprop(module, [p], lr=lr)
    p.grad = g.clone()
    opt.step()
    return {"ratio": -p.detach() * torch.sign(g) / lr}


def long_quadratic(module, ctx):
    return bowl(ctx, module, steps=300, every=10, lr=0.01)


def with_momentum(module, ctx):
    return bowl(ctx, module, steps=150, every=5, n=10, lr=0.003, momentum=0.9)


def centered(module, ctx):
    return bowl(ctx, module, steps=150, every=5, n=10, lr=0.003, alpha=0.9, centered=True, momentum=0.5)


def weight_decay(module, ctx):
    return bowl(ctx, module, steps=150, every=5, n=8, start_scale=3.0, lr=0.01, weight_decay=0.3)


def tiny_gradients(module, ctx):
    return bowl(ctx, module, steps=100, every=5, n=10, scale=1e-8, lr=0.001)


def param_groups(module, ctx):
    def make(W, b, s):
        return rmsprop(module, [{"params": [W], "lr": 0.02, "alpha": 0.9, "momentum": 0.5},
                               {"params": [b, s], "eps": 1e-3, "weight_decay": 0.05, "centered": True}],
                      lr=0.005, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False)

    return kit.param_groups_steps(ctx, make, steps=150, every=10)


def closure_scenario(module, ctx):
    start, loss = kit.bumpy_bowl(ctx, 6)
    p = start.clone().requires_grad_(True)
    return kit.closure_steps(rmsprop(module, [p], lr=0.01), [p], lambda t: loss(p), steps=50, every=5)


judge_closure = kit.closure_judge("rmsprop.closure_ignored", "rmsprop.closure_no_grad")


def train_mlp(module, ctx):
    return kit.train_small_mlp(ctx, lambda net: rmsprop(module, net.parameters(), lr=0.003))


# -- judging what only this exercise knows ------------------------------------------------------------

def predicted_first_ratios(g, alpha=0.99, eps=1e-8):
    """|first step| / lr under each misreading that shows on the first step alone."""
    g = np.abs(np.asarray(g, dtype=np.float64))
    return {
        "rmsprop.alpha_swapped": g / (np.sqrt(alpha) * g + eps),
        "rmsprop.bias_corrected": g / (g + eps),
        "rmsprop.eps_in_sqrt": g / np.sqrt((1 - alpha) * g * g + eps),
    }


def detect_first_step(got, expected):
    ratio = got["ratio"]
    if ratio.shape != (len(FIRST_STEP_GRADS),):
        return None
    for diagnosis, predicted in predicted_first_ratios(FIRST_STEP_GRADS).items():
        if np.allclose(ratio, predicted, rtol=1e-4, atol=1e-9):
            return diagnosis
    return None


def judge_first_step(got, expected, jc):
    ratio = got["ratio"]
    if ratio.shape != (len(FIRST_STEP_GRADS),):
        return f"expected 6 moves, got {kit.fmt_array(ratio)}"
    if not np.allclose(ratio, expected["ratio"], rtol=1e-6, atol=0):
        return kit.Mismatch(
            f"RMSprop(lr=0.01), one step from p = 0 with gradients {FIRST_STEP_GRADS}: every coordinate should move "
            f"by 10 × lr downhill (s₁ = (1 − α)·g² = 0.01·g², so the step is lr·g/(0.1·|g| + ε) ≈ 10·lr·sign(g), "
            f"whatever the gradient's size); you moved them by {kit.fmt_array(ratio)} × lr "
            f"(a negative number is a step uphill)")
    return None
