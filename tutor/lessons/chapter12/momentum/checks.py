"""Scenarios for chapter12/momentum: each builds parameters and a loss, drives the module's SGD and
returns what the parameters went through. The oracle is torch.optim.SGD itself (`torch_sgd`), so
the expected trajectories are the library's; reference.py must pass like any solution."""

import functools
from types import SimpleNamespace

import numpy as np
import torch

from tutor.grader import kit


def torch_sgd():
    """The oracle: stands in for the learner's module, with the plain per-tensor loop."""
    return SimpleNamespace(SGD=functools.partial(torch.optim.SGD, foreach=False))


def sgd(module, params, **hyper):
    return kit.member(module, "SGD", "the class ")(params, **hyper)


def bowl(ctx, module, steps, every, n=12, start_scale=1.0, **hyper):
    return kit.bowl_steps(ctx, lambda ps: sgd(module, ps, **hyper), steps, every, n=n, start_scale=start_scale)


# -- the scenarios -------------------------------------------------------------------------------------

def lesson_example(module, ctx):
    p = torch.tensor([1.0, 1.0, 1.0], dtype=torch.float64, requires_grad=True)
    g = torch.tensor([2.0, -1.0, 0.5], dtype=torch.float64)
    return kit.run_steps(sgd(module, [p], lr=0.1, momentum=0.9), [p], lambda t: (g * p).sum(), steps=3)


FIRST_STEP_GRADS = [1e-3, -2e-2, 0.5, -7.0, 30.0, -2e3]
FIRST_STEP_CASES = {  # name: (hyperparameters, expected |Δp| / (lr·|g|))
    "momentum=0.9": (dict(momentum=0.9), 1.0),
    "momentum=0.9, dampening=0.5": (dict(momentum=0.9, dampening=0.5), 1.0),
    "momentum=0.9, nesterov=True": (dict(momentum=0.9, nesterov=True), 1.9),
}


def first_step(module, ctx):
    """One step from p = 0 with a known gradient: how far did each coordinate move, in lr·g?"""
    g = torch.tensor(FIRST_STEP_GRADS, dtype=torch.float64)
    lr = 0.01
    out = {}
    for name, (hyper, _) in FIRST_STEP_CASES.items():
        p = torch.zeros(len(g), dtype=torch.float64, requires_grad=True)
        opt = sgd(module, [p], lr=lr, **hyper)
        p.grad = g.clone()
        opt.step()
        out[name] = -p.detach() / (lr * g)  # signed: 1 means lr·g downhill, −1 uphill
    return out


def long_quadratic(module, ctx):
    return bowl(ctx, module, steps=300, every=10, lr=0.01, momentum=0.9)


def dampening(module, ctx):
    return bowl(ctx, module, steps=150, every=5, n=10, lr=0.01, momentum=0.9, dampening=0.5)


def nesterov(module, ctx):
    return bowl(ctx, module, steps=150, every=5, n=10, lr=0.005, momentum=0.9, nesterov=True)


def changing_lr(module, ctx):
    """The learning rate halves every 20 steps, as a scheduler would set it in the group."""
    start, loss = kit.bumpy_bowl(ctx, 10)
    p = start.clone().requires_grad_(True)
    opt = sgd(module, [p], lr=0.02, momentum=0.9)

    def loss_at(t):
        for group in opt.param_groups:
            group["lr"] = 0.02 * 0.5 ** ((t - 1) // 20)
        return loss(p)

    return kit.run_steps(opt, [p], loss_at, steps=100, every=5)


def weight_decay(module, ctx):
    return bowl(ctx, module, steps=200, every=10, n=8, start_scale=3.0, lr=0.005, momentum=0.9, weight_decay=0.5)


def param_groups(module, ctx):
    def make(W, b, s):
        return sgd(module, [{"params": [W], "lr": 0.05, "momentum": 0.5},
                           {"params": [b, s], "momentum": 0.95, "nesterov": True, "weight_decay": 0.05}],
                  lr=0.01, momentum=0.8, dampening=0.0, weight_decay=0.0, nesterov=False)

    return kit.param_groups_steps(ctx, make, steps=150, every=10)


def closure_scenario(module, ctx):
    start, loss = kit.bumpy_bowl(ctx, 6)
    p = start.clone().requires_grad_(True)
    return kit.closure_steps(sgd(module, [p], lr=0.01, momentum=0.9), [p], lambda t: loss(p), steps=50, every=5)


judge_closure = kit.closure_judge("momentum.closure_ignored", "momentum.closure_no_grad")


def missing_gradients(module, ctx):
    """`early` has a gradient for steps 1-40 only, `late` from step 61 on; in between .grad is None."""
    g = ctx.generator()
    a = torch.randn(5, generator=g, dtype=torch.float64).requires_grad_(True)
    early = torch.randn(4, generator=g, dtype=torch.float64).requires_grad_(True)
    late = torch.randn(4, generator=g, dtype=torch.float64).requires_grad_(True)
    opt = sgd(module, [a, early, late], lr=0.02, momentum=0.9)

    def loss(t):
        value = ((a - 0.5) ** 2 * torch.arange(1, 6, dtype=torch.float64)).sum()
        if t <= 40:
            value = value + ((early - 2.0) ** 2).sum()
        if t > 60:
            value = value + ((late + a[:4]) ** 2).sum()
        return value

    return kit.run_steps(opt, [a, early, late], loss, steps=100, every=5)


def train_mlp(module, ctx):
    return kit.train_small_mlp(ctx, lambda net: sgd(module, net.parameters(), lr=0.1, momentum=0.9, nesterov=True))


# -- judging what only this exercise knows ------------------------------------------------------------

# The first step of each misreading, in units of lr·g (per case; None: no prediction).
FIRST_STEP_MISREADINGS = {
    "momentum.velocity_sign": {"momentum=0.9": -1.0},
    "momentum.ema_form": {"momentum=0.9": 0.1},
    "momentum.dampening_first_step": {"momentum=0.9": 1.0, "momentum=0.9, dampening=0.5": 0.5},
}


def detect_first_step(got, expected):
    for diagnosis, predicted in FIRST_STEP_MISREADINGS.items():
        if all(np.allclose(got[case], value, rtol=1e-6, atol=0) for case, value in predicted.items()):
            return diagnosis
    return None


def judge_first_step(got, expected, jc):
    for case, (hyper, want) in FIRST_STEP_CASES.items():
        ratio = got[case]
        if ratio.shape != (len(FIRST_STEP_GRADS),):
            return f"{case}: expected 6 moves, got {kit.fmt_array(ratio)}"
        if not np.allclose(ratio, want, rtol=1e-6, atol=0):
            why = ("the first velocity is the gradient itself (v₁ = g)" if want == 1.0 else
                   "v₁ = g, and Nesterov steps by g + μ·v₁ = 1.9·g")
            return kit.Mismatch(
                f"SGD(lr=0.01, {case}), one step from p = 0 with gradients {FIRST_STEP_GRADS}: every coordinate "
                f"should move by {want:g} × lr·g downhill ({why}); you moved them by {kit.fmt_array(ratio)} × lr·g "
                f"(a negative number is a step uphill)")
    return None
