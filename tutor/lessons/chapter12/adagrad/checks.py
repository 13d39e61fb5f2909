"""Scenarios for chapter12/adagrad: each builds parameters and a loss, drives the module's Adagrad
and returns what the parameters went through. The oracle is torch.optim.Adagrad itself
(`torch_adagrad`); reference.py must pass like any solution."""

import functools
from types import SimpleNamespace

import numpy as np
import torch

from tutor.grader import kit


def torch_adagrad():
    """The oracle: stands in for the learner's module, with the plain per-tensor loop."""
    return SimpleNamespace(Adagrad=functools.partial(torch.optim.Adagrad, foreach=False))


def adagrad(module, params, **hyper):
    return kit.member(module, "Adagrad", "the class ")(params, **hyper)


def bowl(ctx, module, steps, every, n=12, scale=1.0, start_scale=1.0, **hyper):
    return kit.bowl_steps(ctx, lambda ps: adagrad(module, ps, **hyper), steps, every, n=n, scale=scale,
                          start_scale=start_scale)


# -- the scenarios -------------------------------------------------------------------------------------

def lesson_example(module, ctx):
    p = torch.tensor([1.0, 1.0, 1.0], dtype=torch.float64, requires_grad=True)
    g = torch.tensor([4.0, -1.0, 0.01], dtype=torch.float64)
    return kit.run_steps(adagrad(module, [p], lr=0.1), [p], lambda t: (g * p).sum(), steps=3)


FIRST_STEP_GRADS = [1e-3, -2e-2, 0.5, -7.0, 30.0, -2e3]


def first_step(module, ctx):
    """One step from p = 0 with a known gradient: |Δp| / lr per coordinate, signed (1 = downhill)."""
    g = torch.tensor(FIRST_STEP_GRADS, dtype=torch.float64)
    p = torch.zeros(len(g), dtype=torch.float64, requires_grad=True)
    lr = 0.01
    opt = adagrad(module, [p], lr=lr)
    p.grad = g.clone()
    opt.step()
    return {"ratio": -p.detach() * torch.sign(g) / lr}


def long_quadratic(module, ctx):
    return bowl(ctx, module, steps=300, every=10, lr=0.5)


def lr_decay(module, ctx):
    return bowl(ctx, module, steps=150, every=5, n=10, lr=0.5, lr_decay=0.05)


def accumulator_and_decay(module, ctx):
    return bowl(ctx, module, steps=150, every=5, n=8, start_scale=3.0, lr=0.3, initial_accumulator_value=2.0,
                weight_decay=0.3)


def tiny_gradients(module, ctx):
    return bowl(ctx, module, steps=100, every=5, n=10, scale=1e-9, lr=0.01)


def param_groups(module, ctx):
    def make(W, b, s):
        return adagrad(module, [{"params": [W], "lr": 0.3, "lr_decay": 0.02},
                               {"params": [b, s], "eps": 1e-3, "weight_decay": 0.05}],
                      lr=0.1, lr_decay=0.0, weight_decay=0.0, eps=1e-10)

    return kit.param_groups_steps(ctx, make, steps=150, every=10)


def closure_scenario(module, ctx):
    start, loss = kit.bumpy_bowl(ctx, 6)
    p = start.clone().requires_grad_(True)
    return kit.closure_steps(adagrad(module, [p], lr=0.3), [p], lambda t: loss(p), steps=50, every=5)


judge_closure = kit.closure_judge("adagrad.closure_ignored", "adagrad.closure_no_grad")


def skipped_parameter(module, ctx):
    """`late` gets its first gradient at step 61: its own step count drives its lr decay."""
    def make(a, late):
        return adagrad(module, [a, late], lr=0.3, lr_decay=0.05)

    return kit.late_parameter_steps(ctx, make, steps=100, every=5)


def train_mlp(module, ctx):
    return kit.train_small_mlp(ctx, lambda net: adagrad(module, net.parameters(), lr=0.1))


# -- judging what only this exercise knows ------------------------------------------------------------

def predicted_first_ratios(g, eps=1e-10):
    """|first step| / lr under each misreading that shows on the first step alone."""
    g = np.asarray(g, dtype=np.float64)
    return {
        "adagrad.stale_sum": np.abs(g) / eps,  # divides by √0 + ε: the sum before this gradient
        "adagrad.global_sum": np.abs(g) / (np.sqrt((g * g).sum()) + eps),
        "adagrad.eps_in_sqrt": np.abs(g) / np.sqrt(g * g + eps),
    }


def detect_first_step(got, expected):
    ratio = got["ratio"]
    if ratio.shape != (len(FIRST_STEP_GRADS),):
        return None
    for diagnosis, predicted in predicted_first_ratios(FIRST_STEP_GRADS).items():
        if np.allclose(ratio, predicted, rtol=1e-3, atol=1e-9):
            return diagnosis
    return None


def judge_first_step(got, expected, jc):
    ratio = got["ratio"]
    if ratio.shape != (len(FIRST_STEP_GRADS),):
        return f"expected 6 moves, got {kit.fmt_array(ratio)}"
    if not np.allclose(ratio, 1.0, rtol=1e-6, atol=0):
        return kit.Mismatch(
            f"Adagrad(lr=0.01), one step from p = 0 with gradients {FIRST_STEP_GRADS}: every coordinate should move "
            f"by lr downhill (s₁ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g), whatever the gradient's size); "
            f"you moved them by {kit.fmt_array(ratio)} × lr (a negative number is a step uphill)")
    return None
