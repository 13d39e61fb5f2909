"""Scenarios for chapter12/yogi: each builds parameters and a loss, drives the module's Yogi and
returns what the parameters went through.

torch has no Yogi, so the oracle is `yogi_oracle`: an implementation written here, independently
of reference.py, in the other spelling of the update (s + (1 − β₂)·sign(g² − s)·g², new tensors
every step, the step count kept apart from the moments). reference.py must pass against it like
any learner, so the two agree with each other before any learner is compared with them."""

import math
from types import SimpleNamespace

import numpy as np
import torch

from tutor.grader import kit


class _OracleYogi(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, betas=(0.9, 0.999), eps=1e-3, weight_decay=0.0):
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay})

    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        with torch.no_grad():
            for group in self.param_groups:
                b1, b2 = group["betas"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = p.grad + group["weight_decay"] * p
                    st = self.state[p]
                    t = st.get("t", 0) + 1
                    m = b1 * st.get("m", torch.zeros_like(p)) + (1 - b1) * g
                    s = st.get("s", torch.zeros_like(p))
                    s = s + (1 - b2) * torch.sign(g * g - s) * (g * g)
                    st.update(t=t, m=m, s=s)
                    p.sub_(group["lr"] * (m / (1 - b1 ** t)) / (torch.sqrt(s / (1 - b2 ** t)) + group["eps"]))
        return loss


def yogi_oracle():
    """The oracle: stands in for the learner's module."""
    return SimpleNamespace(Yogi=_OracleYogi)


def yogi(module, params, **hyper):
    return kit.member(module, "Yogi", "the class ")(params, **hyper)


def bowl(ctx, module, steps, every, n=12, scale=1.0, start_scale=1.0, **hyper):
    return kit.bowl_steps(ctx, lambda ps: yogi(module, ps, **hyper), steps, every, n=n, scale=scale,
                          start_scale=start_scale)


# -- the scenarios -------------------------------------------------------------------------------------

LESSON_GRADS = [[4.0, 1.0], [1.0, 3.0], [1.0, 3.0]]


def lesson_example(module, ctx):
    p = torch.tensor([1.0, 1.0], dtype=torch.float64, requires_grad=True)
    grads = [torch.tensor(g, dtype=torch.float64) for g in LESSON_GRADS]
    opt = yogi(module, [p], lr=0.1, betas=(0.5, 0.5))
    return kit.run_steps(opt, [p], lambda t: (grads[t - 1] * p).sum(), steps=3)


FIRST_STEP_GRADS = [1e-4, -2e-3, 0.05, -0.7, 3.0, -2e3]


def first_step(module, ctx):
    """One step from p = 0 with a known gradient and the defaults (lr=0.01, eps=1e-3): the signed
    move per coordinate, in units of lr (+ = downhill)."""
    g = torch.tensor(FIRST_STEP_GRADS, dtype=torch.float64)
    p = torch.zeros(len(g), dtype=torch.float64, requires_grad=True)
    lr = 0.01
    opt = yogi(module, [p], lr=lr)
    p.grad = g.clone()
    opt.step()
    return {"ratio": -p.detach() * torch.sign(g) / lr}


# Gradients per step (rows) for four coordinates: large then small, small then large, constant,
# and a sign that flips every step. β₁ = 0 makes m̂ = g, so each move reveals ŝ = (lr·|g| / |Δp|)².
# (β₂ = 0.7: (1 − β₂) is not 1/k, so a constant gradient never lands s exactly on g², where sign() is 0.)
MOMENT_GRADS = [[3.0, 0.5, 2.0, 1.5], [3.0, 0.5, 2.0, -1.5], [1.0, 0.5, 2.0, 1.5], [1.0, 4.0, 2.0, -1.5],
                [1.0, 4.0, 2.0, 1.5], [0.5, 4.0, 2.0, -1.5], [0.5, 4.0, 2.0, 1.5], [0.5, 1.0, 2.0, -1.5]]
MOMENT_HYPER = {"lr": 0.01, "betas": (0.0, 0.7), "eps": 1e-12}


def second_moment(module, ctx):
    p = torch.zeros(4, dtype=torch.float64, requires_grad=True)
    opt = yogi(module, [p], **MOMENT_HYPER)
    rows = []
    for g in MOMENT_GRADS:
        g = torch.tensor(g, dtype=torch.float64)
        before = p.detach().clone()
        p.grad = g.clone()
        opt.step()
        moved = before - p.detach()  # β₁ = 0: lr·g / (√ŝ + ε), the sign of g
        rows.append((MOMENT_HYPER["lr"] * g / moved) ** 2)
    return {"s_hat": torch.stack(rows)}


def long_quadratic(module, ctx):
    return bowl(ctx, module, steps=300, every=10, lr=0.05)


def weight_decay(module, ctx):
    return bowl(ctx, module, steps=200, every=10, n=8, lr=0.02, start_scale=3.0, weight_decay=0.5)


def zero_gradients(module, ctx):
    """Some coordinates never get a gradient (exactly 0), others only every third step."""
    start, loss = kit.bumpy_bowl(ctx, 6)
    p = torch.cat([start, torch.zeros(3, dtype=torch.float64)]).requires_grad_(True)
    q = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)

    def step_loss(t):
        value = loss(p[:6]) + 0.0 * p[6:].sum()
        return value + ((q - 2.0) ** 2).sum() * float(t % 3 == 0)

    return kit.run_steps(yogi(module, [p, q], lr=0.05), [p, q], step_loss, steps=60, every=3)


def param_groups(module, ctx):
    def make(W, b, s):
        return yogi(module, [{"params": [W], "lr": 0.03, "betas": (0.8, 0.9)},
                            {"params": [b, s], "eps": 1e-5, "weight_decay": 0.05}],
                   lr=0.005, betas=(0.9, 0.999), eps=1e-3, weight_decay=0.0)

    return kit.param_groups_steps(ctx, make, steps=200, every=10)


def closure_scenario(module, ctx):
    start, loss = kit.bumpy_bowl(ctx, 6)
    p = start.clone().requires_grad_(True)
    return kit.closure_steps(yogi(module, [p], lr=0.03), [p], lambda t: loss(p), steps=50, every=5)


judge_closure = kit.closure_judge("yogi.closure_ignored", "yogi.closure_no_grad")


def skipped_parameter(module, ctx):
    def make(a, late):
        return yogi(module, [{"params": [a]}, {"params": [late], "weight_decay": 0.1}], lr=0.02)

    return kit.late_parameter_steps(ctx, make, steps=120, every=5)


def train_mlp(module, ctx):
    def make(net):
        weights = [p for name, p in net.named_parameters() if name.endswith("weight")]
        biases = [p for name, p in net.named_parameters() if name.endswith("bias")]
        return yogi(module, [{"params": weights, "weight_decay": 1e-3}, {"params": biases}], lr=0.02)

    return kit.train_small_mlp(ctx, make)


# -- judging what only this exercise knows ------------------------------------------------------------

def predicted_first_ratios(g, b1=0.9, b2=0.999, eps=1e-3):
    """The signed first move / lr under each known misreading of the update (+ = downhill)."""
    g = np.asarray(g, dtype=np.float64)
    a, sign = np.abs(g), np.sign(g)

    def library_start(m0):  # s₀ = 1e-6 (and m₀ = m0), then exactly this exercise's formulas
        m_hat = (b1 * m0 + (1 - b1) * g) / (1 - b1)
        s_hat = (1e-6 - (1 - b2) * np.sign(1e-6 - g * g) * g * g) / (1 - b2)
        return m_hat * sign / (np.sqrt(s_hat) + eps)

    return {
        "yogi.bias_plus": (1 - b1) / (1 + b1) * a / (np.sqrt((1 - b2) / (1 + b2)) * a + eps),
        "yogi.no_bias_correction": (1 - b1) * a / (np.sqrt(1 - b2) * a + eps),
        "yogi.eps_in_sqrt": a / np.sqrt(a * a + eps),
        # lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m/(√s + ε): ε added before s is corrected
        "yogi.eps_before_correction": a / (a + eps / np.sqrt(1 - b2)),
        "yogi.initial_accumulator": library_start(1e-6),
        "yogi.initial_accumulator ": library_start(0.0),  # s₀ = 1e-6 alone: the same mistake
    }


def detect_first_step(got, expected):
    ratio = got["ratio"]
    if ratio.shape != (len(FIRST_STEP_GRADS),):
        return None
    if np.isnan(ratio).all():
        return "yogi.sign_flipped"  # s₁ = −(1 − β₂)·g² < 0, and √s is NaN everywhere
    for diagnosis, predicted in predicted_first_ratios(FIRST_STEP_GRADS).items():
        if np.allclose(ratio, predicted, rtol=1e-4, atol=1e-9):
            return diagnosis.strip()
    return None


def judge_first_step(got, expected, jc):
    ratio = got["ratio"]
    if ratio.shape != (len(FIRST_STEP_GRADS),):
        return f"expected 6 moves, got {kit.fmt_array(ratio)}"
    if np.isnan(ratio).any():
        return kit.Mismatch(
            f"Yogi(lr=0.01), one step from p = 0 with gradients {FIRST_STEP_GRADS}: your moves are "
            f"{kit.fmt_array(ratio)} × lr. NaN means √ŝ of a negative number: after one step from s₀ = 0, "
            f"s₁ = (1 − β₂)·g² must be positive")
    if not np.allclose(ratio, expected["ratio"], rtol=1e-6, atol=0):
        return kit.Mismatch(
            f"Yogi(lr=0.01), one step from p = 0 with gradients {FIRST_STEP_GRADS}: the first step is Adam's, "
            f"lr·m̂₁/(√ŝ₁ + ε) = lr·g/(|g| + ε) with m̂₁ = g and ŝ₁ = g², so every coordinate should move downhill by "
            f"{kit.fmt_array(expected['ratio'])} × lr (ε = 1e-3 shortens the smallest ones); you moved them by "
            f"{kit.fmt_array(ratio)} × lr (a negative number is a step uphill)")
    return None


def predicted_second_moments(grads=MOMENT_GRADS, b2=MOMENT_HYPER["betas"][1]):
    """ŝ after every step of `second_moment` under Yogi and under each misreading that shows there."""
    g2 = np.asarray(grads, dtype=np.float64) ** 2
    yogi_s, adam_s = np.zeros(g2.shape[1]), np.zeros(g2.shape[1])
    out = {"yogi": [], "yogi.adam_update": [], "yogi.no_bias_correction": [], "yogi.bias_plus": []}
    for t, row in enumerate(g2, start=1):
        yogi_s = yogi_s - (1 - b2) * np.sign(yogi_s - row) * row
        adam_s = b2 * adam_s + (1 - b2) * row
        out["yogi"].append(yogi_s / (1 - b2 ** t))
        out["yogi.adam_update"].append(adam_s / (1 - b2 ** t))
        out["yogi.no_bias_correction"].append(yogi_s.copy())
        out["yogi.bias_plus"].append(yogi_s / (1 + b2 ** t))
    return {k: np.array(v) for k, v in out.items()}


def detect_second_moment(got, expected):
    s_hat = got["s_hat"]
    if s_hat.shape != (len(MOMENT_GRADS), 4):
        return None
    if np.isnan(s_hat[0]).all():
        return "yogi.sign_flipped"
    for diagnosis, predicted in predicted_second_moments().items():
        if diagnosis != "yogi" and np.allclose(s_hat, predicted, rtol=1e-6, atol=1e-9):
            return diagnosis
    return None


def judge_second_moment(got, expected, jc):
    s_hat, want = got["s_hat"], expected["s_hat"]
    if s_hat.shape != want.shape:
        return f"expected {want.shape[0]} × {want.shape[1]} numbers, got {kit.fmt_array(s_hat)}"
    bad = ~np.isclose(s_hat, want, rtol=1e-6, atol=1e-9)
    if not bad.any():
        return None
    t, c = (int(i) for i in np.argwhere(bad)[0])
    seen = [row[c] for row in MOMENT_GRADS[:t + 1]]
    adam = predicted_second_moments()["yogi.adam_update"][t, c]
    aside = f" (Adam's average would give {adam:.6g})" if not math.isclose(adam, want[t, c], rel_tol=1e-6) else ""
    return kit.Mismatch(
        f"Yogi(lr=0.01, betas=(0.0, 0.7)): with β₁ = 0 each move is lr·g/√ŝ, so your steps show ŝ. Coordinate {c}, "
        f"gradients {seen}: after step {t + 1} your step implies ŝ = {s_hat[t, c]:.6g}, Yogi's "
        f"s ← s − (1 − β₂)·sign(s − g²)·g² then ŝ = s/(1 − β₂ᵗ) gives {want[t, c]:.6g}{aside}",
        {"step": t + 1, "coordinate": c, "got_row": kit.fmt_array(s_hat[t]), "expected_row": kit.fmt_array(want[t])})
