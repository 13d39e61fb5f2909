"""Scenarios for chapter12/adam: each builds parameters and a loss, drives the module's Adam and
returns what the parameters went through. The oracle is torch.optim.Adam itself (`torch_adam`),
so the expected trajectories are the library's; reference.py must pass like any solution."""

import functools
import math
from types import SimpleNamespace

import numpy as np
import torch

from tutor.grader import kit


def torch_adam():
    """The oracle: stands in for the learner's module, with the plain per-tensor loop, amsgrad off."""
    return SimpleNamespace(Adam=functools.partial(torch.optim.Adam, amsgrad=False, foreach=False))


def adam(module, params, **hyper):
    return kit.member(module, "Adam", "the class ")(params, **hyper)


def bowl(ctx, module, steps, every, n=12, lr=0.05, scale=1.0, start_scale=1.0, **hyper):
    return kit.bowl_steps(ctx, lambda ps: adam(module, ps, lr=lr, **hyper), steps, every, n=n, scale=scale,
                          start_scale=start_scale)


# -- the scenarios -------------------------------------------------------------------------------------

def lesson_example(module, ctx):
    p = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
    g = torch.tensor([4.0, -0.5, 0.001], dtype=torch.float64)
    return kit.run_steps(adam(module, [p], lr=0.1), [p], lambda t: (g * p).sum(), steps=3)


FIRST_STEP_GRADS = [1e-3, -2e-2, 0.5, -7.0, 30.0, -2e3]


def first_step(module, ctx):
    g = torch.tensor(FIRST_STEP_GRADS, dtype=torch.float64)
    p = torch.zeros(len(g), dtype=torch.float64, requires_grad=True)
    lr = 0.01
    opt = adam(module, [p], lr=lr)
    p.grad = g.clone()
    opt.step()
    moved = p.detach().clone()
    return {"ratio": moved.abs() / lr, "against_gradient": bool(((moved * g) < 0).all())}


def long_quadratic(module, ctx):
    return bowl(ctx, module, steps=300, every=10)


def weight_decay(module, ctx):
    return bowl(ctx, module, steps=200, every=10, n=8, lr=0.02, start_scale=3.0, weight_decay=0.5)


def tiny_gradients(module, ctx):
    return bowl(ctx, module, steps=150, every=5, n=10, lr=0.01, scale=1e-8)


def param_groups(module, ctx):
    def make(W, b, s):
        return adam(module, [{"params": [W], "lr": 0.02, "betas": (0.8, 0.99)},
                            {"params": [b, s], "eps": 1e-6, "weight_decay": 0.05}],
                   lr=0.005, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)

    return kit.param_groups_steps(ctx, make, steps=200, every=10)


def closure_scenario(module, ctx):
    start, loss = kit.bumpy_bowl(ctx, 6)
    p = start.clone().requires_grad_(True)
    opt = adam(module, [p], lr=0.03)
    calls, grad_mode, returned, computed = [0], [], [], []

    def closure():
        calls[0] += 1
        grad_mode.append(torch.is_grad_enabled())
        with torch.enable_grad():  # keep going even when the step forgot to enable grad
            p.grad = None
            value = loss(p)
            value.backward()
        computed.append(float(value.detach()))
        return value

    per_step, rows = [], [kit.flat([p])]
    for t in range(1, 51):
        before = calls[0]
        out = opt.step(closure)
        per_step.append(calls[0] - before)
        returned.append(float(out.detach()) if isinstance(out, torch.Tensor)
                        else (float(out) if isinstance(out, (int, float)) else None))
        if t % 5 == 0:
            rows.append(kit.flat([p]))
    return {"steps": [0] + list(range(5, 51, 5)), "trajectory": torch.stack(rows), "calls_per_step": per_step,
            "grad_enabled": all(grad_mode) if grad_mode else None, "returned": returned, "computed": computed}


def skipped_parameter(module, ctx):
    def make(a, late):
        return adam(module, [{"params": [a]}, {"params": [late], "weight_decay": 0.1}], lr=0.02)

    return kit.late_parameter_steps(ctx, make, steps=120, every=5)


def train_mlp(module, ctx):
    def make(net):
        weights = [p for name, p in net.named_parameters() if name.endswith("weight")]
        biases = [p for name, p in net.named_parameters() if name.endswith("bias")]
        return adam(module, [{"params": weights, "weight_decay": 1e-3}, {"params": biases}], lr=0.02)

    return kit.train_small_mlp(ctx, make)


# -- judging what only this exercise knows ------------------------------------------------------------

def predicted_first_ratios(g, b1=0.9, b2=0.999, eps=1e-8):
    """|first step| / lr under each known misreading of the update."""
    g = np.abs(np.asarray(g, dtype=np.float64))
    return {
        "adam.bias_plus": (1 - b1) / (1 + b1) * g / (np.sqrt((1 - b2) / (1 + b2)) * g + eps),
        "adam.no_bias_correction": (1 - b1) * g / (np.sqrt(1 - b2) * g + eps),
        "adam.eps_in_sqrt": g / np.sqrt(g * g + eps),
    }


def detect_first_step(got, expected):
    ratio = got.get("ratio")
    if ratio.shape != (len(FIRST_STEP_GRADS),):
        return None
    for diagnosis, predicted in predicted_first_ratios(FIRST_STEP_GRADS).items():
        if np.allclose(ratio, predicted, rtol=1e-3, atol=1e-6):
            return diagnosis
    return None


def judge_first_step(got, expected, jc):
    ratio = got["ratio"]
    if ratio.shape != (len(FIRST_STEP_GRADS),):
        return f"expected 6 step sizes, got {kit.fmt_array(ratio)}"
    if not got["against_gradient"]:
        return "the first step should move every coordinate against its gradient (downhill); some moved uphill or not at all"
    if not np.allclose(ratio, 1.0, rtol=2e-3, atol=0):
        worst = int(np.argmax(np.abs(ratio - 1)))
        return (f"with gradients {FIRST_STEP_GRADS} and lr=0.01, the first step should move every coordinate by "
                f"lr (|Δp|/lr = 1, because m̂₁ = g and v̂₁ = g²); you moved them by {kit.fmt_array(ratio)} × lr "
                f"(worst: coordinate {worst}, gradient {FIRST_STEP_GRADS[worst]:g})")
    return None


def judge_closure(got, expected, jc):
    calls = got["calls_per_step"] or []
    if any(c == 0 for c in calls):
        first = calls.index(0) + 1
        return jc.fail(f"opt.step(closure) did not call the closure at step {first} (calls per step: "
                       f"{calls[:5]} ...), so the parameters never got a gradient", "adam.closure_ignored")
    if any(c != 1 for c in calls):
        return f"opt.step(closure) must call the closure exactly once per step; the calls per step were {calls[:8]} ..."
    if got["grad_enabled"] is False:
        return jc.fail("the closure ran with gradient tracking switched off (inside your @torch.no_grad() step), so "
                       "its loss.backward() could not have worked", "adam.closure_no_grad")
    for t, (r, c) in enumerate(zip(got["returned"] or [], got["computed"] or []), start=1):
        if r is None or not math.isclose(r, c, rel_tol=1e-12, abs_tol=1e-15):
            return (f"opt.step(closure) must return the loss the closure computed; at step {t} the closure "
                    f"returned {c:.6g} and step returned {r if r is None else format(r, '.6g')}")
    return kit.trajectory()(got, expected, jc)
