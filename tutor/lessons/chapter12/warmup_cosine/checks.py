"""Whole schedules, so a mistake shows at the exact step where it starts."""

from __future__ import annotations

import math
from types import SimpleNamespace

from tutor.grader import kit

RTOL, ATOL = 1e-9, 1e-12


def _schedule(module, base_lr, warmup_steps, total_steps, min_lr, last_step):
    config = {"base_lr": base_lr, "warmup_steps": warmup_steps, "total_steps": total_steps, "min_lr": min_lr}
    lrs = []
    for t in range(last_step + 1):
        try:
            lrs.append(kit.call(module, "warmup_cosine", t, base_lr, warmup_steps, total_steps, min_lr))
        except ZeroDivisionError as e:
            # Named (warmup_steps = 0 is allowed) instead of reported as a crash.
            return {"config": config, "lr": lrs, "zero_division": [t, str(e)]}
    return {"config": config, "lr": lrs, "zero_division": None}


def lesson_run(module, ctx):
    return [_schedule(module, 1.0, 2, 6, 0.0, 8)]


def no_warmup_run(module, ctx):
    return [_schedule(module, 0.1, 0, 8, 0.0, 10), _schedule(module, 0.5, 0, 1, 0.25, 3)]


def _random_configs(seed):
    import random

    rng = random.Random(seed)
    configs = []
    for _ in range(3):
        base = round(10 ** rng.uniform(-4, -1), 6)
        warmup = rng.randint(1, 8)
        total = warmup + rng.randint(5, 30)
        min_lr = round(base * rng.uniform(0.0, 0.2), 8)
        configs.append((base, warmup, total, min_lr))
    return configs


def random_schedules_run(module, ctx):
    return [_schedule(module, b, w, t, m, t + 4) for b, w, t, m in _random_configs(ctx.seed)]


def shape_run(module, ctx):
    return [_schedule(module, 0.5, 5, 25, 0.05, 30)]


def torch_run(module, ctx):
    # Steps 0 … total_steps only: torch's cosine keeps going (back up) after T_max.
    return [_schedule(module, b, w, t, m, t) for b, w, t, m in _random_configs(ctx.seed)]


def torch_schedule():
    """torch's own composition: LambdaLR(t / w) for the warmup, then CosineAnnealingLR from step w."""
    import torch

    def warmup_cosine(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
        warm = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: t / warmup_steps)
        cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total_steps - warmup_steps, eta_min=min_lr)
        sched = torch.optim.lr_scheduler.SequentialLR(opt, [warm, cos], milestones=[warmup_steps])
        for _ in range(step):
            opt.step()
            sched.step()
        return float(opt.param_groups[0]["lr"])

    return SimpleNamespace(warmup_cosine=warmup_cosine)


def _call_text(config, step):
    c = config
    return (f"warmup_cosine({step}, base_lr={c['base_lr']:g}, warmup_steps={c['warmup_steps']}, "
            f"total_steps={c['total_steps']}, min_lr={c['min_lr']:g})")


def _not_float(values):
    for t, v in enumerate(values):
        if not isinstance(v, float):
            return t, v
    return None


def judge_schedule(got, expected, jc):
    for mine, ref in zip(got, expected):
        config = ref["config"]
        if mine["zero_division"] is not None:
            t, error = mine["zero_division"]
            message = f"{_call_text(config, t)} raised ZeroDivisionError ({error})"
            if config["warmup_steps"] == 0:
                return jc.fail(message + ": with warmup_steps = 0 there is no warmup, so nothing should divide by it",
                               "warmup_cosine.zero_warmup")
            return message
        bad = _not_float(mine["lr"])
        if bad is not None:
            t, v = bad
            return (f"{_call_text(config, t)} returned {type(v).__name__} {v!r}; return a Python float "
                    "(float(x) turns a 0-d tensor or a NumPy number into one)")
        for t, (a, b) in enumerate(zip(mine["lr"], ref["lr"])):
            if not math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL):
                agree = "" if t == 0 else "; step 0 agrees" if t == 1 else f"; steps 0 to {t - 1} agree"
                return kit.Mismatch(f"{_call_text(config, t)} = {a:.8g}, expected {b:.8g}{agree}",
                                    {"step": t, "got": a, "expected": b})
    return None


def judge_shape(got, expected, jc):
    s = got[0]
    c, lr = s["config"], s["lr"]
    if s["zero_division"] is not None:
        return f"{_call_text(c, s['zero_division'][0])} raised ZeroDivisionError ({s['zero_division'][1]})"
    base, w, total, low = c["base_lr"], c["warmup_steps"], c["total_steps"], c["min_lr"]
    bad = _not_float(lr)
    if bad is not None:
        return f"{_call_text(c, bad[0])} returned {type(bad[1]).__name__}, expected a Python float"
    tol = 1e-12
    if not math.isclose(lr[w], base, rel_tol=1e-9):
        return (f"{_call_text(c, w)} = {lr[w]:.8g}: the step where the warmup ends should be the peak, "
                f"base_lr = {base:g}")
    for t in range(1, w + 1):
        if not lr[t] > lr[t - 1]:
            return f"the warmup should rise at every step, but step {t} gives {lr[t]:.8g} after {lr[t - 1]:.8g}"
    jump = lr[w] - lr[w - 1]
    if jump > base / w + tol:
        return (f"the schedule jumps at the end of the warmup: {lr[w - 1]:.8g} at step {w - 1}, "
                f"{lr[w]:.8g} at step {w} (one warmup step is only base_lr / warmup_steps = {base / w:g})")
    for t in range(w + 1, len(lr)):
        if lr[t] > lr[t - 1] + tol:
            return (f"after the warmup the rate should never rise, but step {t} gives {lr[t]:.8g} after "
                    f"{lr[t - 1]:.8g} at step {t - 1}")
    for t in range(len(lr)):
        if lr[t] < low - tol and t >= w:
            return f"{_call_text(c, t)} = {lr[t]:.8g} is below min_lr = {low:g}"
    for t in range(total, len(lr)):
        if not math.isclose(lr[t], low, rel_tol=1e-9, abs_tol=tol):
            return f"from total_steps on the rate should stay at min_lr = {low:g}, but step {t} gives {lr[t]:.8g}"
    return None


def detect_warmup_ahead(got, expected):
    """A warmup one step ahead (steps counted from 1), however the rest of the schedule is written:
    the learner's rate at every warmup step is the expected rate one step later."""
    for mine, ref in zip(got, expected):
        w, lr, want = ref["config"]["warmup_steps"], mine["lr"], ref["lr"]
        if w == 0 or len(lr) <= w or _not_float(lr) is not None:
            continue
        if any(not math.isclose(lr[t], want[t], rel_tol=RTOL, abs_tol=ATOL) for t in range(w)) and all(
                math.isclose(lr[t], want[t + 1], rel_tol=1e-9, abs_tol=ATOL) for t in range(w)):
            return "warmup_cosine.warmup_off_by_one"
    return None


def _cosine_variants(base, low, w, total, t):
    """The classic wrong cosines at step t (w ≤ t < total), by diagnosis."""
    p = (t - w) / (total - w)
    return {
        "warmup_cosine.cosine_over_total": [low + (base - low) * 0.5 * (1 + math.cos(math.pi * (t - w) / total)),
                                            low + (base - low) * 0.5 * (1 + math.cos(math.pi * t / total))],
        "warmup_cosine.degrees": [low + (base - low) * 0.5 * (1 + math.cos(180 * p))],
        "warmup_cosine.bare_cosine": [low + (base - low) * math.cos(math.pi * p)],
        "warmup_cosine.ignores_min_lr": [base * 0.5 * (1 + math.cos(math.pi * p))],
    }


def detect_cosine_form(got, expected):
    """Names a wrong cosine from the decay steps alone (w ≤ t < total_steps), however the learner
    handles the warmup and the tail, when every decay step fits one wrong formula."""
    for mine, ref in zip(got, expected):
        c, lr, want = ref["config"], mine["lr"], ref["lr"]
        base, low, w, total = c["base_lr"], c["min_lr"], c["warmup_steps"], c["total_steps"]
        if _not_float(lr) is not None:
            continue
        decay = range(w, min(total, len(lr)))
        if all(math.isclose(lr[t], want[t], rel_tol=RTOL, abs_tol=ATOL) for t in decay):
            continue
        variants = [_cosine_variants(base, low, w, total, t) for t in decay]
        for diagnosis, forms in variants[0].items():
            for k in range(len(forms)):
                if all(math.isclose(lr[t], v[diagnosis][k], rel_tol=1e-9, abs_tol=ATOL)
                       for t, v in zip(decay, variants)):
                    return diagnosis
    return None
