"""What every optimizer exercise checks the same way: `step(closure)`, and the bumpy bowl.

A scenario drives the optimizer with a closure (`closure_steps`) and records how the closure was
called; `closure_judge` then names the two classic mistakes (the closure never called, or called
with gradients off inside a `@torch.no_grad()` step) before comparing the trajectory itself.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from tutor.grader.judges import trajectory


def _number(value) -> float | None:
    import torch

    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return float(value.detach())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def closure_steps(opt, params: list, loss_fn: Callable[[int], Any], steps: int = 50, every: int = 5) -> dict:
    """`opt.step(closure)` for `steps` steps, the closure recomputing `loss_fn(t)` and its gradients.

    Returns the `trajectory` judge's {"steps", "trajectory"} plus, for `closure_judge`: how often
    each step called the closure, whether gradients were enabled every time, what step returned
    and what the closure computed."""
    import torch

    from tutor.grader.kit import clear_grads, flat

    calls, grad_mode, returned, computed = [0], [], [], []
    t_now = [0]

    def closure():
        calls[0] += 1
        grad_mode.append(torch.is_grad_enabled())
        with torch.enable_grad():  # keep going even when the step forgot to enable grad
            clear_grads(params)
            value = loss_fn(t_now[0])
            value.backward()
        computed.append(float(value.detach()))
        return value

    per_step, rows, recorded = [], [flat(params)], [0]
    for t in range(1, steps + 1):
        t_now[0] = t
        before = calls[0]
        out = opt.step(closure)
        per_step.append(calls[0] - before)
        returned.append(_number(out))
        if t % every == 0 or t == steps:
            rows.append(flat(params))
            recorded.append(t)
    return {"steps": recorded, "trajectory": torch.stack(rows), "calls_per_step": per_step,
            "grad_enabled": all(grad_mode) if grad_mode else None, "returned": returned, "computed": computed}


def closure_judge(ignored: str, no_grad: str, rtol: float = 1e-5, atol: float = 1e-8):
    """A judge for `closure_steps` results: the closure called once per step, with gradients on,
    its loss returned, then the trajectory. `ignored` and `no_grad` are the exercise's diagnosis
    ids for the two classic mistakes."""
    follow = trajectory(rtol=rtol, atol=atol)

    def judge(got, expected, jc):
        calls = got.get("calls_per_step") or []
        if any(c == 0 for c in calls):
            first = calls.index(0) + 1
            return jc.fail(f"opt.step(closure) did not call the closure at step {first} (calls per step: "
                           f"{calls[:5]} ...), so the parameters never got a gradient", ignored)
        if any(c != 1 for c in calls):
            return f"opt.step(closure) must call the closure exactly once per step; the calls per step were {calls[:8]} ..."
        if got.get("grad_enabled") is False:
            return jc.fail("the closure ran with gradient tracking switched off (inside your @torch.no_grad() step), "
                           "so its loss.backward() could not have worked", no_grad)
        for t, (r, c) in enumerate(zip(got.get("returned") or [], got.get("computed") or []), start=1):
            if r is None or not math.isclose(r, c, rel_tol=1e-12, abs_tol=1e-15):
                shown = "None" if r is None else format(r, ".6g")
                return (f"opt.step(closure) must return the loss the closure computed; at step {t} the closure "
                        f"returned {c:.6g} and step returned {shown}")
        return follow(got, expected, jc)

    return judge


def bumpy_bowl(ctx, n: int, scale: float = 1.0, offset: int = 0):
    """An ill-conditioned bumpy bowl of n coordinates: curvatures from 0.01 to 100, plus a small
    sine ripple; seeded by the check. Returns (a starting point, the loss of a point)."""
    import torch

    g = ctx.generator(offset)
    curv = torch.logspace(-2, 2, n, dtype=torch.float64)[torch.randperm(n, generator=g)]
    centre = torch.randn(n, generator=g, dtype=torch.float64)
    start = torch.randn(n, generator=g, dtype=torch.float64)

    def loss(p):
        return scale * (0.5 * (curv * (p - centre) ** 2).sum() + 0.1 * torch.sin(3 * p).sum())

    return start, loss


def bowl_steps(ctx, make_optimizer: Callable[[list], Any], steps: int, every: int, n: int = 12, scale: float = 1.0,
               start_scale: float = 1.0) -> dict:
    """`steps` plain optimisation steps on the bumpy bowl, from its start times `start_scale`:
    the `trajectory` judge's {"steps", "trajectory"}."""
    from tutor.grader.kit import run_steps

    start, loss = bumpy_bowl(ctx, n, scale=scale)
    p = (start * start_scale).requires_grad_(True)
    return run_steps(make_optimizer([p]), [p], lambda t: loss(p), steps=steps, every=every)


def late_parameter_steps(ctx, make_optimizer: Callable[[Any, Any], Any], steps: int = 120, every: int = 5) -> dict:
    """Two parameters, `a` and `late`, where `late` gets its first gradient only at step 61 (its
    .grad is None until then): a parameter without a gradient is skipped and counts its own
    steps. `make_optimizer(a, late)` builds the optimizer; the `trajectory` judge's result."""
    import torch

    from tutor.grader.kit import run_steps

    g = ctx.generator()
    a = torch.randn(5, generator=g, dtype=torch.float64).requires_grad_(True)
    late = torch.randn(4, generator=g, dtype=torch.float64).requires_grad_(True)
    opt = make_optimizer(a, late)

    def loss(t):
        value = ((a - 0.5) ** 2 * torch.arange(1, 6, dtype=torch.float64)).sum()
        if t > 60:
            value = value + ((late + a[:4]) ** 2).sum()
        return value

    return run_steps(opt, [a, late], loss, steps=steps, every=every)


def train_small_mlp(ctx, make_optimizer: Callable[[Any], Any], steps: int = 200) -> dict:
    """A 10-16-3 tanh MLP trained full-batch on seeded synthetic classes (128 samples) for `steps`
    steps with the optimizer `make_optimizer(net)` builds, each step's loss streamed as "loss"
    (the live plot draws the learner's beside the reference's). {"final_loss", "losses"}."""
    import torch

    from tutor.grader.kit import clear_grads, seeded

    g = ctx.generator()
    X = torch.randn(128, 10, generator=g)
    W_true = torch.randn(10, 3, generator=g)
    y = (X @ W_true + 0.5 * torch.randn(128, 3, generator=g)).argmax(dim=1)
    with seeded(ctx.seed):
        net = torch.nn.Sequential(torch.nn.Linear(10, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3))
    opt = make_optimizer(net)
    losses = []
    for step in range(1, steps + 1):
        clear_grads(net.parameters())
        loss = torch.nn.functional.cross_entropy(net(X), y)
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
        ctx.emit("loss", step, losses[-1])
    return {"final_loss": losses[-1], "losses": losses}


def param_groups_steps(ctx, make_optimizer: Callable[[Any, Any, Any], Any], steps: int, every: int = 10) -> dict:
    """A small tanh regression with three parameters, W (4, 3), b (3,) and s (5,), for checks of
    per-group hyperparameters: `make_optimizer(W, b, s)` puts them in groups ([W] and [b, s] in
    chapter 12) with their own values. The `trajectory` judge's {"steps", "trajectory"}."""
    import torch

    from tutor.grader.kit import run_steps

    g = ctx.generator()
    W = torch.randn(4, 3, generator=g, dtype=torch.float64).requires_grad_(True)
    b = torch.randn(3, generator=g, dtype=torch.float64).requires_grad_(True)
    s = torch.randn(5, generator=g, dtype=torch.float64).requires_grad_(True)
    X = torch.randn(16, 4, generator=g, dtype=torch.float64)
    Y = torch.randn(16, 3, generator=g, dtype=torch.float64)
    opt = make_optimizer(W, b, s)

    def loss(t):
        return ((torch.tanh(X @ W + b) - Y) ** 2).mean() + 0.3 * ((s - 1) ** 2).sum() * (1 + math.sin(t / 7))

    return run_steps(opt, [W, b, s], loss, steps=steps, every=every)
