"""Checks for chapter12/adam: the lesson's example first, then trajectories, edges, training.

Every scenario builds its own parameters and loss, drives `module.Adam` for a number of steps
and returns what the parameters went through. The reference side runs the same scenario with
torch.optim.Adam, so "expected" is always torch's own trajectory.
"""

import functools
import math

import numpy as np
import torch

from tutor.grader.checks import Mismatch, ScenarioCheck, TrainingCheck, compare_plain, fmt_array


# -- scenario helpers (run in the child with the learner's module, in the grader with the reference) --

def make_optimizer(module, ctx, params, **hyper):
    """The learner's (or a variant's) Adam; on the trusted reference side, torch.optim.Adam itself.

    reference.py is a hand-written Adam that must pass these checks like any solution, but the
    expected trajectories come from the library (plain per-tensor loop, amsgrad off)."""
    if ctx.role == "reference":
        return torch.optim.Adam(params, **hyper, amsgrad=False, foreach=False)
    cls = getattr(module, "Adam", None)
    if cls is None:
        raise AttributeError("your file does not define the class `Adam`")
    return cls(params, **hyper)


def single_threaded(scenario):
    """Run a scenario on one intra-op thread, then restore the setting. These tensors are small:
    one thread is fastest, and on a busy machine two spinning threads can make a check 20× slower."""

    @functools.wraps(scenario)
    def run(module, ctx):
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return scenario(module, ctx)
        finally:
            torch.set_num_threads(threads)

    return run


def flat(params) -> torch.Tensor:
    return torch.cat([p.detach().reshape(-1).to(torch.float64) for p in params])


def clear_grads(params) -> None:
    for p in params:
        p.grad = None


def run_steps(opt, params, loss_fn, steps: int, every: int = 1) -> dict:
    """Plain loop: gradients from scratch, one step; records the parameters every `every` steps."""
    rows, recorded = [flat(params)], [0]
    for t in range(1, steps + 1):
        clear_grads(params)
        loss = loss_fn(t)
        loss.backward()
        opt.step()
        if t % every == 0 or t == steps:
            rows.append(flat(params))
            recorded.append(t)
    return {"steps": recorded, "trajectory": torch.stack(rows)}


def quadratic(ctx, n: int, scale: float = 1.0, offset: int = 0, dtype=torch.float64):
    """An ill-conditioned bumpy bowl: curvatures from 0.01 to 100, plus a small sine ripple."""
    g = ctx.generator(offset)
    curv = torch.logspace(-2, 2, n, dtype=dtype)[torch.randperm(n, generator=g)]
    centre = torch.randn(n, generator=g, dtype=dtype)
    start = torch.randn(n, generator=g, dtype=dtype)

    def loss(p):
        return scale * (0.5 * (curv * (p - centre) ** 2).sum() + 0.1 * torch.sin(3 * p).sum())

    return start, loss


# -- judging ------------------------------------------------------------------------------------

def nearest_variant(got, expected, jc, key: str) -> str | None:
    """The known wrong variant whose `key` lies closest to the learner's, if it is far closer than
    the reference is. Tighter than plain matching: trajectories of different misreadings of eps
    can all sit within 1e-4 of each other, but a restyled copy of one of them agrees to ~1e-9."""

    def values(result):
        value = result.get(key) if isinstance(result, dict) else None
        if isinstance(value, list):
            try:
                value = np.asarray(value, dtype=np.float64)
            except (TypeError, ValueError):
                return None
        return value if isinstance(value, np.ndarray) else None

    mine, want = values(got), values(expected)
    if mine is None or want is None or mine.shape != want.shape:
        return None
    with np.errstate(invalid="ignore", over="ignore"):
        off_reference = float(np.nanmax(np.abs(mine - want))) if mine.size else 0.0
        best, best_distance = None, np.inf
        for diagnosis, result in jc.variants().items():
            theirs = values(result)
            if theirs is None or theirs.shape != want.shape:
                continue
            distance = float(np.max(np.abs(mine - theirs))) if mine.size else 0.0
            if np.isfinite(distance) and distance < best_distance:
                best, best_distance = diagnosis, distance
    if best is not None and best_distance <= 1e-3 * off_reference + 1e-12:
        return best
    return None


def first_divergence(got, expected, rtol, atol):
    """Where two trajectories part: (row, coordinate) of the first recorded step that differs."""
    e, g = expected, got
    bad = ~np.isclose(g, e, rtol=rtol, atol=atol, equal_nan=False)
    rows = np.flatnonzero(bad.any(axis=1))
    if not rows.size:
        return None
    row = int(rows[0])
    col = int(np.argmax(np.where(bad[row], np.abs(g[row] - e[row]), -1.0)))
    return row, col


def trajectory_judge(rtol=1e-5, atol=1e-8, what="the parameters"):
    def judge(got, expected, jc):
        if not isinstance(got, dict):
            return Mismatch(f"the scenario returned {type(got).__name__}")
        traj = got.get("trajectory")
        want = expected["trajectory"]
        if not isinstance(traj, np.ndarray) or traj.shape != want.shape:
            return Mismatch(f"{what}: expected {want.shape[0]} snapshots of {want.shape[1]} numbers, got "
                            f"{fmt_array(traj)}")
        extra = {k: v for k, v in expected.items() if k not in ("trajectory", "steps")}
        where = first_divergence(traj, want, rtol, atol)
        if where is None:
            for key, value in extra.items():
                m = compare_plain(got.get(key), value, what=key, rtol=rtol, atol=atol, check_dtype=False)
                if m:
                    return m
            return None
        row, col = where
        step = expected["steps"][row]
        e, g = want[row, col], traj[row, col]
        start = want[0, col]
        first = f"after step {step}" if step else "before the first step (you changed the starting values)"
        msg = (f"{first}, parameter coordinate {col} (it started at {start:.6g}) is {g:.8g} but torch.optim.Adam "
               f"gives {e:.8g} (difference {abs(g - e):.3g}; tolerance rtol={rtol:g}, atol={atol:g})")
        if row > 1:
            msg += f"; all coordinates agreed up to step {expected['steps'][row - 1]}"
        details = {"step": step, "coordinate": col, "expected": float(e), "got": float(g),
                   "expected_row": fmt_array(want[row]), "got_row": fmt_array(traj[row])}
        return jc.fail(msg, nearest_variant(got, expected, jc, "trajectory"), details)

    return judge


# -- 1. the lesson's hand example --------------------------------------------------------------

@single_threaded
def lesson_example(module, ctx):
    p = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
    g = torch.tensor([4.0, -0.5, 0.001], dtype=torch.float64)
    opt = make_optimizer(module, ctx, [p], lr=0.1)
    return run_steps(opt, [p], lambda t: (g * p).sum(), steps=3)


# -- 2. first step has length lr, whatever the gradient's scale -------------------------------

FIRST_STEP_GRADS = [1e-3, -2e-2, 0.5, -7.0, 30.0, -2e3]


@single_threaded
def first_step(module, ctx):
    g = torch.tensor(FIRST_STEP_GRADS, dtype=torch.float64)
    p = torch.zeros(len(g), dtype=torch.float64, requires_grad=True)
    lr = 0.01
    opt = make_optimizer(module, ctx, [p], lr=lr)
    p.grad = g.clone()
    opt.step()
    moved = p.detach().clone()
    return {"ratio": (moved.abs() / lr), "against_gradient": bool(((moved * g) < 0).all())}


def predicted_first_ratios(g, b1=0.9, b2=0.999, eps=1e-8):
    """|first step| / lr under each known misreading, for the first-step detector."""
    g = np.abs(np.asarray(g, dtype=np.float64))
    return {
        "adam.bias_plus": (1 - b1) / (1 + b1) * g / (np.sqrt((1 - b2) / (1 + b2)) * g + eps),
        "adam.no_bias_correction": (1 - b1) * g / (np.sqrt(1 - b2) * g + eps),
        "adam.eps_in_sqrt": g / np.sqrt(g * g + eps),
    }


def detect_first_step(got, expected):
    ratio = got.get("ratio") if isinstance(got, dict) else None
    if not isinstance(ratio, np.ndarray) or ratio.shape != (len(FIRST_STEP_GRADS),):
        return None
    for diagnosis, predicted in predicted_first_ratios(FIRST_STEP_GRADS).items():
        if np.allclose(ratio, predicted, rtol=1e-3, atol=1e-6):
            return diagnosis
    return None


def judge_first_step(got, expected, jc):
    ratio = got.get("ratio") if isinstance(got, dict) else None
    if not isinstance(ratio, np.ndarray) or ratio.shape != (len(FIRST_STEP_GRADS),):
        return f"expected 6 step sizes, got {fmt_array(ratio)}"
    if not got.get("against_gradient"):
        return "the first step should move every coordinate against its gradient (downhill); some moved uphill or not at all"
    if not np.allclose(ratio, 1.0, rtol=2e-3, atol=0):
        worst = int(np.argmax(np.abs(ratio - 1)))
        return (f"with gradients {FIRST_STEP_GRADS} and lr=0.01, the first step should move every coordinate by "
                f"lr (|Δp|/lr = 1, because m̂₁ = g and v̂₁ = g²); you moved them by {fmt_array(ratio)} × lr "
                f"(worst: coordinate {worst}, gradient {FIRST_STEP_GRADS[worst]:g})")
    return None


# -- 3-8. trajectories against torch.optim.Adam -------------------------------------------------

@single_threaded
def long_quadratic(module, ctx):
    start, loss = quadratic(ctx, 12)
    p = start.clone().requires_grad_(True)
    opt = make_optimizer(module, ctx, [p], lr=0.05)
    return run_steps(opt, [p], lambda t: loss(p), steps=300, every=10)


@single_threaded
def weight_decay(module, ctx):
    start, loss = quadratic(ctx, 8)
    p = (start * 3).requires_grad_(True)
    opt = make_optimizer(module, ctx, [p], lr=0.02, weight_decay=0.5)
    return run_steps(opt, [p], lambda t: loss(p), steps=200, every=10)


@single_threaded
def param_groups(module, ctx):
    g = ctx.generator()
    W = torch.randn(4, 3, generator=g, dtype=torch.float64).requires_grad_(True)
    b = torch.randn(3, generator=g, dtype=torch.float64).requires_grad_(True)
    s = torch.randn(5, generator=g, dtype=torch.float64).requires_grad_(True)
    X = torch.randn(16, 4, generator=g, dtype=torch.float64)
    Y = torch.randn(16, 3, generator=g, dtype=torch.float64)
    opt = make_optimizer(module, ctx, [
        {"params": [W], "lr": 0.02, "betas": (0.8, 0.99)},
        {"params": [b, s], "eps": 1e-6, "weight_decay": 0.05},
    ], lr=0.005, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)

    def loss(t):
        return ((torch.tanh(X @ W + b) - Y) ** 2).mean() + 0.3 * ((s - 1) ** 2).sum() * (1 + math.sin(t / 7))

    return run_steps(opt, [W, b, s], loss, steps=200, every=10)


@single_threaded
def closure_scenario(module, ctx):
    start, loss = quadratic(ctx, 6)
    p = start.clone().requires_grad_(True)
    opt = make_optimizer(module, ctx, [p], lr=0.03)
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

    per_step = []
    rows = [flat([p])]
    for t in range(1, 51):
        before = calls[0]
        out = opt.step(closure)
        per_step.append(calls[0] - before)
        returned.append(float(out.detach()) if isinstance(out, torch.Tensor) else (float(out) if isinstance(out, (int, float)) else None))
        if t % 5 == 0:
            rows.append(flat([p]))
    return {"steps": [0] + list(range(5, 51, 5)), "trajectory": torch.stack(rows), "calls_per_step": per_step,
            "grad_enabled": all(grad_mode) if grad_mode else None, "returned": returned, "computed": computed}


def judge_closure(got, expected, jc):
    if not isinstance(got, dict):
        return f"the scenario returned {type(got).__name__}"
    calls = got.get("calls_per_step") or []
    if any(c == 0 for c in calls):
        first = calls.index(0) + 1
        return jc.fail(f"opt.step(closure) did not call the closure at step {first} (calls per step: "
                       f"{calls[:5]} ...), so the parameters never got a gradient", "adam.closure_ignored")
    if any(c != 1 for c in calls):
        return f"opt.step(closure) must call the closure exactly once per step; the calls per step were {calls[:8]} ..."
    if got.get("grad_enabled") is False:
        return jc.fail("the closure ran with gradient tracking switched off (inside your @torch.no_grad() step), so "
                       "its loss.backward() could not have worked", "adam.closure_no_grad")
    returned, computed = got.get("returned") or [], got.get("computed") or []
    for t, (r, c) in enumerate(zip(returned, computed), start=1):
        if r is None or not math.isclose(r, c, rel_tol=1e-12, abs_tol=1e-15):
            return (f"opt.step(closure) must return the loss the closure computed; at step {t} the closure "
                    f"returned {c:.6g} and step returned {r if r is None else format(r, '.6g')}")
    return trajectory_judge()(got, expected, jc)


@single_threaded
def tiny_gradients(module, ctx):
    start, loss = quadratic(ctx, 10, scale=1e-8)
    p = start.clone().requires_grad_(True)
    opt = make_optimizer(module, ctx, [p], lr=0.01)
    return run_steps(opt, [p], lambda t: loss(p), steps=150, every=5)


@single_threaded
def skipped_parameter(module, ctx):
    g = ctx.generator()
    a = torch.randn(5, generator=g, dtype=torch.float64).requires_grad_(True)
    late = torch.randn(4, generator=g, dtype=torch.float64).requires_grad_(True)
    opt = make_optimizer(module, ctx, [{"params": [a]}, {"params": [late], "weight_decay": 0.1}], lr=0.02)

    def loss(t):
        value = ((a - 0.5) ** 2 * torch.arange(1, 6, dtype=torch.float64)).sum()
        if t > 60:  # `late` gets its first gradient at step 61; until then its .grad is None
            value = value + ((late + a[:4]) ** 2).sum()
        return value

    return run_steps(opt, [a, late], loss, steps=120, every=5)


# -- 9. training -------------------------------------------------------------------------------

@single_threaded
def train_mlp(module, ctx):
    g = ctx.generator()
    X = torch.randn(128, 10, generator=g)
    W_true = torch.randn(10, 3, generator=g)
    y = (X @ W_true + 0.5 * torch.randn(128, 3, generator=g)).argmax(dim=1)
    with torch.random.fork_rng(devices=[]):  # seeded initial weights, the caller's random stream untouched
        torch.manual_seed(ctx.seed)
        net = torch.nn.Sequential(torch.nn.Linear(10, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3))
    weights = [p for name, p in net.named_parameters() if name.endswith("weight")]
    biases = [p for name, p in net.named_parameters() if name.endswith("bias")]
    opt = make_optimizer(module, ctx, [{"params": weights, "weight_decay": 1e-3}, {"params": biases}], lr=0.02)
    losses = []
    train_loop(net, opt, X, y, losses, ctx)
    return {"final_loss": losses[-1], "losses": losses}


def train_loop(net, opt, X, y, losses, ctx):
    for step in range(1, 201):
        clear_grads(net.parameters())
        loss = torch.nn.functional.cross_entropy(net(X), y)
        loss.backward()
        opt.step()
        value = float(loss.detach())
        losses.append(value)
        ctx.emit("loss", step, value)


class CurveTrainingCheck(TrainingCheck):
    """A training check whose diagnosis compares whole loss curves with the known wrong variants."""

    def diagnose(self, got, expected, jc, key=None):
        return nearest_variant(got, expected, jc, "losses")

    def judge(self, got, expected, jc):
        losses = got.get("losses") if isinstance(got, dict) else None
        want = expected["losses"]
        if isinstance(losses, list) and len(losses) == len(want):
            for step, (mine, theirs) in enumerate(zip(losses, want), start=1):
                if not isinstance(mine, (int, float)) or not abs(mine - theirs) <= self.atol + self.rtol * abs(theirs):
                    shown = f"{mine:.6g}" if isinstance(mine, (int, float)) else repr(mine)
                    final = losses[-1] if isinstance(losses[-1], (int, float)) else float("nan")
                    return jc.fail(f"the loss curves part at step {step}: with torch.optim.Adam the loss is "
                                   f"{theirs:.6g}, with yours {shown} (rtol {self.rtol:g}); final loss {final:.6g} "
                                   f"against {want[-1]:.6g}", self.diagnose(got, expected, jc),
                                   {"learner": final, "reference": want[-1], "step": step})
        return super().judge(got, expected, jc)


CHECKS = [
    ScenarioCheck("the lesson's example: 3 steps with a constant gradient, lr=0.1", lesson_example,
                  trajectory_judge(rtol=1e-7, atol=1e-9)),
    ScenarioCheck("the first step moves every coordinate by lr, whatever the gradient's scale", first_step,
                  judge_first_step, kind="property", detectors=(detect_first_step,)),
    ScenarioCheck("300 steps on a bumpy ill-conditioned bowl follow torch.optim.Adam", long_quadratic,
                  trajectory_judge()),
    ScenarioCheck("weight decay is L2 added to the gradient (weight_decay=0.5, 200 steps)", weight_decay,
                  trajectory_judge()),
    ScenarioCheck("parameter groups keep their own lr, betas, eps and weight decay", param_groups,
                  trajectory_judge()),
    ScenarioCheck("step(closure) calls the closure once, with grad enabled, and returns its loss",
                  closure_scenario, judge_closure),
    ScenarioCheck("tiny gradients (about 1e-8): eps sits outside the square root, after the bias correction",
                  tiny_gradients, trajectory_judge(rtol=1e-6, atol=1e-10), kind="stability"),
    ScenarioCheck("a parameter with no gradient is skipped and counts its own steps", skipped_parameter,
                  trajectory_judge()),
    CurveTrainingCheck("trains a small MLP beside torch.optim.Adam (200 steps, under a second)", train_mlp,
                  rtol=1e-3, atol=1e-6, compare_keys=("losses",)),
]
