"""Scenarios for chapter12/adadelta: each builds parameters and a loss, drives the module's Adadelta
and returns what the parameters went through. The oracle is torch.optim.Adadelta itself
(`torch_adadelta`); reference.py must pass like any solution."""

import functools
from types import SimpleNamespace

import numpy as np
import torch

from tutor.grader import kit


def torch_adadelta():
    """The oracle: stands in for the learner's module, with the plain per-tensor loop."""
    return SimpleNamespace(Adadelta=functools.partial(torch.optim.Adadelta, foreach=False))


def adadelta(module, params, **hyper):
    return kit.member(module, "Adadelta", "the class ")(params, **hyper)


def bowl(ctx, module, steps, every, n=12, scale=1.0, start_scale=1.0, **hyper):
    return kit.bowl_steps(ctx, lambda ps: adadelta(module, ps, **hyper), steps, every, n=n, scale=scale,
                          start_scale=start_scale)


# -- the scenarios -------------------------------------------------------------------------------------

def lesson_example(module, ctx):
    p = torch.tensor([1.0, 1.0, 1.0], dtype=torch.float64, requires_grad=True)
    g = torch.tensor([4.0, -1.0, 0.01], dtype=torch.float64)
    return kit.run_steps(adadelta(module, [p], lr=1.0, rho=0.5, eps=1e-2), [p], lambda t: (g * p).sum(), steps=3)


FIRST_STEP_GRADS = [1e-3, -2e-2, 0.5, -7.0, 30.0, -2e3]


def first_step(module, ctx):
    """One step from p = 0 with a known gradient and the defaults: the signed move per coordinate."""
    g = torch.tensor(FIRST_STEP_GRADS, dtype=torch.float64)
    p = torch.zeros(len(g), dtype=torch.float64, requires_grad=True)
    opt = adadelta(module, [p])
    p.grad = g.clone()
    opt.step()
    return {"move": -p.detach() * torch.sign(g)}


def long_quadratic(module, ctx):
    return bowl(ctx, module, steps=300, every=10, lr=1.0, eps=1e-3)


def learning_rate(module, ctx):
    return bowl(ctx, module, steps=150, every=5, n=10, lr=3.0, rho=0.8, eps=1e-4)


def weight_decay(module, ctx):
    return bowl(ctx, module, steps=100, every=5, n=8, start_scale=3.0, lr=1.0, eps=1e-3, weight_decay=0.3)


def param_groups(module, ctx):
    def make(W, b, s):
        return adadelta(module, [{"params": [W], "lr": 2.0, "rho": 0.8},
                                {"params": [b, s], "eps": 1e-3, "weight_decay": 0.05}],
                       lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0)

    return kit.param_groups_steps(ctx, make, steps=150, every=10)


def closure_scenario(module, ctx):
    start, loss = kit.bumpy_bowl(ctx, 6)
    p = start.clone().requires_grad_(True)
    return kit.closure_steps(adadelta(module, [p], eps=1e-3), [p], lambda t: loss(p), steps=50, every=5)


judge_closure = kit.closure_judge("adadelta.closure_ignored", "adadelta.closure_no_grad")


def train_mlp(module, ctx):
    return kit.train_small_mlp(ctx, lambda net: adadelta(module, net.parameters(), lr=1.0, eps=1e-4))


# -- judging what only this exercise knows ------------------------------------------------------------

def predicted_first_moves(g, rho=0.9, eps=1e-6):
    """The first move per coordinate under each misreading that shows on the first step alone."""
    g = np.abs(np.asarray(g, dtype=np.float64))
    return {
        "adadelta.eps_outside_sqrt": (np.sqrt(0.0) + eps) / (np.sqrt((1 - rho) * g * g) + eps) * g,
        "adadelta.rho_swapped": np.sqrt(eps) / np.sqrt(rho * g * g + eps) * g,
    }


def detect_first_step(got, expected):
    move = got["move"]
    if move.shape != (len(FIRST_STEP_GRADS),):
        return None
    for diagnosis, predicted in predicted_first_moves(FIRST_STEP_GRADS).items():
        if np.allclose(move, predicted, rtol=1e-4, atol=0):
            return diagnosis
    return None


def judge_first_step(got, expected, jc):
    move = got["move"]
    if move.shape != (len(FIRST_STEP_GRADS),):
        return f"expected 6 moves, got {kit.fmt_array(move)}"
    if not np.allclose(move, expected["move"], rtol=1e-6, atol=0):
        return kit.Mismatch(
            f"Adadelta() with the defaults (lr=1, rho=0.9, eps=1e-6), one step from p = 0 with gradients "
            f"{FIRST_STEP_GRADS}: the first move is √ε · g / √((1 − ρ)·g² + ε), about √(ε/(1 − ρ)) ≈ 0.00316 "
            f"downhill for large gradients (the accumulated updates start at zero, so Adadelta starts slowly): "
            f"expected {kit.fmt_array(expected['move'])}, you moved {kit.fmt_array(move)} "
            f"(a negative number is a step uphill)")
    return None
