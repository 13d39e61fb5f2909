"""Scenarios of engineering/loss_scaling: the learner's LossScaler drives SGD on a parameter whose
gradient we choose step by step. The backward pass is float16's: after backward every gradient
goes through float16 and back, so a scaled gradient above 65504 becomes inf and one below about
6·10⁻⁸ becomes 0, as in a half-precision backward pass."""

from __future__ import annotations

import math

import torch

from tutor.grader import kit

FP16_MAX = 65504.0


class SGD:
    """What the scaler needs of an optimizer: param_groups and step(), as torch.optim.SGD has them.

    A plain class rather than torch.optim.SGD: constructing a torch.optim optimizer imports
    torch._dynamo, seconds of CPU that would be charged to the learner's first check."""

    def __init__(self, params, lr, momentum=0.0):
        self.param_groups = [{"params": list(params), "lr": lr, "momentum": momentum}]
        self.state = {}

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                d = p.grad
                if group["momentum"]:
                    buf = self.state.get(p)
                    buf = d.clone() if buf is None else buf.mul_(group["momentum"]).add_(d)
                    self.state[p] = buf
                    d = buf
                p.add_(d, alpha=-group["lr"])

    def zero_grad(self, set_to_none=True):
        for group in self.param_groups:
            for p in group["params"]:
                p.grad = None


def run_sequence(module, ctx, grads, settings=None, lr=0.1, momentum=0.0, start=None, extra=False):
    """grads: one list of numbers per step (the gradient of the loss w.r.t. p)."""
    Scaler = kit.member(module, "LossScaler")
    scaler = Scaler(**settings) if settings else Scaler()
    n = len(grads[0])
    p = torch.nn.Parameter(torch.tensor(start if start is not None else [float(i + 1) for i in range(n)]))
    params = [p]
    frozen = None
    if extra:  # a second parameter that gets no gradient (its .grad stays None)
        frozen = torch.nn.Parameter(torch.ones(2))
        params.append(frozen)
    opt = SGD(params, lr=lr, momentum=momentum)
    out = {"grads": [[float(v) for v in g] for g in grads], "ok": [], "scale": [], "p": [],
           "initial_scale": _number(scaler.scale)}
    for g in grads:
        opt.zero_grad(set_to_none=True)
        loss = (p * torch.tensor(g)).sum()
        scaled = scaler.scale_loss(loss)
        if not isinstance(scaled, torch.Tensor):
            raise TypeError(f"scale_loss returned {type(scaled).__name__}; return a tensor (loss * scale) to call "
                            f"backward on")
        scaled.backward()
        with torch.no_grad():
            p.grad.copy_(p.grad.to(torch.float16).to(torch.float32))  # a float16 backward pass
        ok = scaler.step(opt)
        out["ok"].append(bool(ok) if isinstance(ok, (bool, int)) or isinstance(ok, torch.Tensor) else ok)
        out["scale"].append(_number(scaler.scale))
        out["p"].append(p.detach().clone())
    if frozen is not None:
        out["frozen"] = frozen.detach().clone()
    return out


def _number(value):
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return float(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"LossScaler.scale should be a number, got {type(value).__name__}")


SMALL = {"init_scale": 8.0, "growth_factor": 2.0, "backoff_factor": 0.5, "growth_interval": 2}


def lesson_example(module, ctx):
    grads = [[0.5, -1.0], [1e5, 0.0], [0.25, 0.25], [1.0, 1.0], [1.0, 1.0]]
    return run_sequence(module, ctx, grads, SMALL, start=[1.0, 2.0])


def random_sequence(module, ctx):
    g = ctx.generator(1)
    grads = []
    for _ in range(14):
        exponent = float(torch.randint(-3, 4, (), generator=g))
        grads.append((torch.randn(5, generator=g) * 10.0 ** exponent).tolist())
    settings = {"init_scale": 2.0 ** 14, "growth_factor": 2.0, "backoff_factor": 0.5, "growth_interval": 3}
    return run_sequence(module, ctx, grads, settings, lr=0.01, momentum=0.9)


def nan_gradients(module, ctx):
    grads = [[1.0, 2.0, 3.0], [math.nan, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, -math.inf, 0.0], [0.5, 0.5, 0.5]]
    return run_sequence(module, ctx, grads, SMALL)


def growth_counter_resets(module, ctx):
    grads = [[1.0], [1.0], [1e6], [1.0], [1.0], [1.0], [1.0], [1.0], [1.0]]
    settings = {"init_scale": 16.0, "growth_factor": 2.0, "backoff_factor": 0.5, "growth_interval": 3}
    return run_sequence(module, ctx, grads, settings)


def defaults_and_other_factors(module, ctx):
    default = run_sequence(module, ctx, [[1e-3, 2e-3], [1.0, 1.0], [10.0, 0.0]])
    custom = run_sequence(module, ctx, [[1.0, 1.0, 1.0], [1.0, 2.0, 3.0], [1e4, 1.0, 1.0], [1.0, 1.0, 1.0]],
                          {"init_scale": 4.0, "growth_factor": 4.0, "backoff_factor": 0.25, "growth_interval": 1},
                          extra=True)
    return {"the defaults (scale 65536, ×2 / ×0.5 every 2000 steps)": default,
            "growth ×4 after every good step, backoff ×0.25, a parameter without gradient": custom}


def tiny_gradients(module, ctx):
    """Gradients of 10⁻⁸ to 10⁻⁶: zero or badly rounded in float16 unless scaled first."""
    g = ctx.generator(2)
    grads = [(torch.rand(6, generator=g) * 1e-6 + 1e-8).tolist() for _ in range(3)]
    settings = {"init_scale": 2.0 ** 16, "growth_factor": 2.0, "backoff_factor": 0.5, "growth_interval": 100}
    return run_sequence(module, ctx, grads, settings, lr=1e4)


# -- judging --------------------------------------------------------------------------------------------

def _short(values):
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"


def _compare(got, expected, what, rtol, atol, jc=None):
    if got["initial_scale"] != expected["initial_scale"]:
        return kit.Mismatch(f"{what}: a new LossScaler's scale is {got['initial_scale']:g}, expected "
                            f"{expected['initial_scale']:g}")
    for i, g in enumerate(expected["grads"]):
        step = f"{what}, step {i + 1} (gradient {_short(g)})"
        if got["ok"][i] != expected["ok"][i]:
            if got["ok"][i] is True and any(math.isnan(v) for v in g) and jc is not None:
                return jc.fail(f"{step}: step() took the step although a gradient is NaN", "amp.nan_missed")
            said = "took the step" if got["ok"][i] else "skipped the step"
            return kit.Mismatch(f"{step}: step() returned {got['ok'][i]!r} (it {said}), expected "
                                f"{expected['ok'][i]!r}", {"expected": expected["ok"], "got": got["ok"]})
        m = kit.compare_plain(got["p"][i], expected["p"][i], what="the parameter after it", rtol=rtol, atol=atol)
        if m:
            return kit.Mismatch(f"{step}: {m.message}", m.details)
        if not math.isclose(got["scale"][i], expected["scale"][i], rel_tol=1e-12):
            return kit.Mismatch(f"{step}: the scale after it is {got['scale'][i]:g}, expected "
                                f"{expected['scale'][i]:g} (scales so far: yours {_short(got['scale'][:i + 1])}, "
                                f"expected {_short(expected['scale'][:i + 1])})",
                                {"expected": expected["scale"], "got": got["scale"]})
    if "frozen" in expected:
        m = kit.compare_plain(got["frozen"], expected["frozen"], what="the parameter without gradient")
        if m:
            return kit.Mismatch(f"{what}: {m.message}", m.details)
    return None


def judge_sequence(got, expected, jc, rtol=1e-5, atol=1e-7):
    if "grads" in expected:
        return _compare(got, expected, f"{len(expected['grads'])} steps", rtol, atol, jc)
    for key, run in expected.items():
        m = _compare(got[key], run, key, rtol, atol, jc)
        if m:
            return m
    return None
