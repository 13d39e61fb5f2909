"""chapter12/adam: the checks tell right from wrong, name each misconception, stream the training curve."""

from __future__ import annotations

import pytest

from tutor.grader.reference import load_checks
from tutor.grader.reports.chart import training_charts
from tutor.grader.results import Verdict

EXPECTED_DIAGNOSES = {
    "adam.bias_plus", "adam.no_bias_correction", "adam.eps_in_sqrt", "adam.decoupled_decay",
    "adam.eps_before_correction", "adam.ignores_groups", "adam.shared_step", "adam.closure_ignored",
    "adam.closure_no_grad",
}


@pytest.fixture(scope="module")
def chapter(catalog):
    return catalog.chapter("chapter12")


@pytest.fixture(scope="module")
def adam(catalog):
    return catalog.exercise("chapter12/adam")


@pytest.fixture(scope="module")
def validated(validation, adam):
    files = ["starter.py", "reference.py", *[p.relative_to(adam.folder).as_posix() for p in adam.solutions],
             *[m.path.relative_to(adam.folder).as_posix() for m in adam.mutants]]
    return validation.findings["chapter12/adam"], {f: validation.result("chapter12/adam", f) for f in files}


def test_chapter_and_exercise_metadata(chapter, adam):
    assert chapter.title and chapter.summary
    assert adam.id == "chapter12/adam"
    assert len(adam.hints) >= 3
    assert EXPECTED_DIAGNOSES <= set(adam.diagnoses)
    checks = load_checks(adam)
    assert len(checks) >= 6
    assert {"value", "property", "stability", "training"} <= {c.kind for c in checks}
    assert len(adam.solutions) >= 2
    assert "torch.optim.Adam" in adam.banned_names and "torch.optim.Optimizer" not in adam.banned_names
    for word in ("1 − β", "√v̂", "param_groups", "closure"):
        assert word in adam.lesson


def test_every_mutant_has_its_diagnosis(adam):
    declared = {m.diagnosis for m in adam.mutants if m.diagnosis}
    assert declared == set(adam.diagnoses), "every diagnosis needs a mutant that triggers it"
    assert any(m.verdict == "forbidden" for m in adam.mutants)


def test_validation_findings_all_ok(validated):
    findings, _ = validated
    bad = [f.line() for f in findings if not f.ok]
    assert not bad, "\n".join(bad)


def test_bias_plus_misprint_is_named_with_a_helpful_message(validated):
    _, results = validated
    result = results["mutants/bias_plus.py"]
    assert result.verdict is Verdict.FAIL
    first_step = next(c for c in result.checks if c.name.startswith("the first step"))
    assert first_step.diagnosis == "adam.bias_plus"
    assert "1 − βᵗ" in first_step.message and "2.35" in first_step.message
    assert "× lr" in first_step.message  # the evidence: how far each coordinate actually moved
    example = result.checks[0]
    assert example.diagnosis == "adam.bias_plus" and "after step 1" in example.message


def test_eps_placements_are_told_apart_on_tiny_gradients(validated):
    _, results = validated
    for mutant, diagnosis in (("eps_in_sqrt", "adam.eps_in_sqrt"), ("eps_before_correction", "adam.eps_before_correction")):
        tiny = next(c for c in results[f"mutants/{mutant}.py"].checks if c.name.startswith("tiny gradients"))
        assert tiny.verdict is Verdict.FAIL and tiny.diagnosis == diagnosis


def test_training_check_streams_both_curves_and_final_losses_agree(validated):
    _, results = validated
    result = results["solutions/textbook.py"]
    training = next(c for c in result.checks if c.kind == "training")
    assert training.verdict is Verdict.PASS
    learner, reference = training.series["learner"]["loss"], training.series["reference"]["loss"]
    assert len(learner) == len(reference) == 200
    assert [step for step, _ in learner] == list(range(1, 201))
    assert learner[-1][1] == pytest.approx(reference[-1][1], rel=1e-3)
    assert learner[-1][1] < 0.5 * learner[0][1]  # it really trains
    chart = "\n".join(text.plain for text in training_charts(result))
    assert "yours" in chart and "reference" in chart


def test_starter_is_not_started_and_solutions_pass(validated):
    _, results = validated
    assert results["starter.py"].verdict is Verdict.NOT_STARTED
    for name, result in results.items():
        if name.startswith("solutions/") or name == "reference.py":
            assert result.verdict is Verdict.PASS, name


# -- momentum ---------------------------------------------------------------------------------------

MOMENTUM_DIAGNOSES = {
    "momentum.ema_form", "momentum.velocity_sign", "momentum.dampening_first_step",
    "momentum.nesterov_ignored", "momentum.lr_in_velocity", "momentum.decoupled_decay", "momentum.ignores_groups",
    "momentum.coasts_without_grad", "momentum.closure_ignored", "momentum.closure_no_grad",
}

# A correct SGD with momentum, written the way a learner might: velocity in state, per-parameter loop.
MOMENTUM_BODY = '''
import torch


class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + group["weight_decay"] * p
                mu = group["momentum"]
                buf = self.state[p].get("buf")
                buf = g.clone() if buf is None else mu * buf + (1 - group["dampening"]) * g
                self.state[p]["buf"] = buf
                STEP
        return loss
'''


@pytest.fixture(scope="module")
def momentum(catalog):
    return catalog.exercise("chapter12/momentum")


def test_chapter_lists_optimizers_in_book_order(chapter):
    slugs = [ex.slug for ex in chapter.exercises]
    assert slugs.index("momentum") < slugs.index("adam")


def test_momentum_metadata(momentum):
    assert len(momentum.hints) >= 3 and len(momentum.solutions) >= 2
    assert MOMENTUM_DIAGNOSES == set(momentum.diagnoses)
    declared = {m.diagnosis for m in momentum.mutants if m.diagnosis and m.diagnosis != "any"}
    assert declared == set(momentum.diagnoses), "every diagnosis needs a mutant that triggers it"
    assert any(m.verdict == "forbidden" for m in momentum.mutants)
    checks = load_checks(momentum)
    assert len(checks) >= 8 and {"property", "training"} <= {c.kind for c in checks}
    assert "torch.optim.SGD" in momentum.banned_names and "torch.optim.Optimizer" not in momentum.banned_names
    assert momentum.spec.capabilities.streams_curve
    for word in ("v₁ = g", "nesterov", "param_groups", "closure", "dampening"):
        assert word in momentum.lesson


def test_momentum_validates_and_its_solutions_pass(validation, momentum):
    assert not validation.problems("chapter12/momentum")
    assert validation.result("chapter12/momentum", "starter.py").verdict is Verdict.NOT_STARTED
    for path in momentum.solutions:
        name = path.relative_to(momentum.folder).as_posix()
        assert validation.result("chapter12/momentum", name).verdict is Verdict.PASS, name


def test_momentum_uphill_step_is_named_with_the_measured_move(grade):
    """v ← μ·v + g, then p ← p + lr·v: the first step measures −1 × lr·g."""
    source = MOMENTUM_BODY.replace("STEP", "p.add_(group['lr'] * (g + mu * buf if group['nesterov'] else buf))")
    result = grade("chapter12/momentum", source)
    assert result.verdict is Verdict.FAIL
    first_step = next(c for c in result.checks if c.name.startswith("the first step"))
    assert first_step.diagnosis == "momentum.velocity_sign"
    assert "uphill" in first_step.message and "-1" in first_step.message


def test_momentum_sutskever_form_is_caught_only_by_the_changing_lr(grade):
    """lr folded into the velocity (Sutskever et al.): equal to torch while lr is constant."""
    source = MOMENTUM_BODY.replace("g.clone() if buf is None", "group['lr'] * g if buf is None").replace(
        "(1 - group[\"dampening\"]) * g", "group['lr'] * (1 - group[\"dampening\"]) * g").replace(
        "STEP", "p.sub_(group['lr'] * g + mu * buf if group['nesterov'] else buf)")
    result = grade("chapter12/momentum", source)
    assert result.verdict is Verdict.FAIL
    failed = [c for c in result.checks if c.verdict is Verdict.FAIL]
    assert [c.name for c in failed] == [next(c.name for c in result.checks if "halves every 20 steps" in c.name)]
    assert failed[0].diagnosis == "momentum.lr_in_velocity"
    assert "after step 2" in failed[0].message


def test_momentum_training_streams_both_curves(validation):
    result = validation.result("chapter12/momentum", "solutions/textbook.py")
    training = next(c for c in result.checks if c.kind == "training")
    assert training.verdict is Verdict.PASS
    learner, reference = training.series["learner"]["loss"], training.series["reference"]["loss"]
    assert len(learner) == len(reference) == 200
    assert learner[-1][1] == pytest.approx(reference[-1][1], rel=1e-3)
    assert learner[-1][1] < 0.5 * learner[0][1]


# -- adagrad ----------------------------------------------------------------------------------------

ADAGRAD_DIAGNOSES = {
    "adagrad.stale_sum", "adagrad.global_sum", "adagrad.eps_in_sqrt", "adagrad.lr_decay_off_by_one",
    "adagrad.ignores_initial_accumulator", "adagrad.shared_step", "adagrad.ignores_groups",
    "adagrad.closure_ignored", "adagrad.closure_no_grad",
}


@pytest.fixture(scope="module")
def adagrad(catalog):
    return catalog.exercise("chapter12/adagrad")


def test_adagrad_metadata(adagrad, chapter):
    slugs = [ex.slug for ex in chapter.exercises]
    assert slugs.index("momentum") < slugs.index("adagrad") < slugs.index("adam")
    assert len(adagrad.hints) >= 3 and len(adagrad.solutions) >= 2
    assert ADAGRAD_DIAGNOSES == set(adagrad.diagnoses)
    assert {m.diagnosis for m in adagrad.mutants if m.diagnosis} == ADAGRAD_DIAGNOSES
    assert any(m.verdict == "forbidden" for m in adagrad.mutants)
    checks = load_checks(adagrad)
    assert {"property", "stability", "training"} <= {c.kind for c in checks}
    assert "torch.optim.Adagrad" in adagrad.banned_names
    for word in ("√sₜ + ε", "(t − 1)·δ", "initial_accumulator_value", "closure"):
        assert word in adagrad.lesson


def test_adagrad_lesson_numbers_are_torchs(adagrad):
    import torch

    p = torch.ones(3, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adagrad([p], lr=0.1)
    for _ in range(3):
        p.grad = torch.tensor([4.0, -1.0, 0.01], dtype=torch.float64)
        opt.step()
    assert p.detach().tolist() == pytest.approx([0.7716, 1.2284, 0.7716], abs=5e-5)
    assert "p₃ ≈ (0.7716, 1.2284, 0.7716)" in adagrad.lesson


def test_adagrad_validates_and_streams_its_curve(validation):
    assert not validation.problems("chapter12/adagrad")
    result = validation.result("chapter12/adagrad", "solutions/textbook.py")
    training = next(c for c in result.checks if c.kind == "training")
    learner, reference = training.series["learner"]["loss"], training.series["reference"]["loss"]
    assert len(learner) == len(reference) == 200 and learner[-1][1] < 0.5 * learner[0][1]


def test_adagrad_norm_of_the_gradient_is_named_global_sum(grade):
    """A learner who scales by the gradient's norm (one number per tensor) in another style."""
    source = '''
import torch


class Adagrad(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, eps=eps))

    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                st = self.state[p]
                st.setdefault("n", 0)
                st.setdefault("acc", group["initial_accumulator_value"])
                g = p.grad.data + group["weight_decay"] * p.data
                st["n"] += 1
                st["acc"] = st["acc"] + float(g.norm()) ** 2
                rate = group["lr"] / (1 + (st["n"] - 1) * group["lr_decay"])
                p.data -= rate * g / (st["acc"] ** 0.5 + group["eps"])
        return loss
'''
    result = grade("chapter12/adagrad", source)
    assert result.verdict is Verdict.FAIL
    first_step = next(c for c in result.checks if c.name.startswith("the first step"))
    assert first_step.diagnosis == "adagrad.global_sum"
    assert "per coordinate" in first_step.message and "× lr" in first_step.message


# -- rmsprop ----------------------------------------------------------------------------------------

RMSPROP_DIAGNOSES = {
    "rmsprop.alpha_swapped", "rmsprop.bias_corrected", "rmsprop.eps_in_sqrt", "rmsprop.momentum_before_scaling",
    "rmsprop.centered_ignored", "rmsprop.ignores_groups", "rmsprop.closure_ignored", "rmsprop.closure_no_grad",
}


@pytest.fixture(scope="module")
def rmsprop(catalog):
    return catalog.exercise("chapter12/rmsprop")


def test_rmsprop_metadata(rmsprop, chapter):
    slugs = [ex.slug for ex in chapter.exercises]
    assert slugs.index("adagrad") < slugs.index("rmsprop") < slugs.index("adam")
    assert len(rmsprop.hints) >= 3 and len(rmsprop.solutions) >= 2
    assert RMSPROP_DIAGNOSES == set(rmsprop.diagnoses)
    assert {m.diagnosis for m in rmsprop.mutants if m.diagnosis} == RMSPROP_DIAGNOSES
    assert any(m.verdict == "forbidden" for m in rmsprop.mutants)
    assert {"property", "stability", "training"} <= {c.kind for c in load_checks(rmsprop)}
    assert {"torch.optim.RMSprop", "torch.optim.rmsprop._single_tensor_rmsprop"} <= set(rmsprop.banned_names)
    for word in ("No bias correction", "√(sₜ − mₜ ⊙ mₜ) + ε", "gₜ / dₜ", "closure"):
        assert word in rmsprop.lesson


def test_rmsprop_lesson_numbers_are_torchs(rmsprop):
    import torch

    p = torch.ones(3, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.RMSprop([p], lr=0.01, alpha=0.75)
    for _ in range(3):
        p.grad = torch.tensor([4.0, -1.0, 0.01], dtype=torch.float64)
        opt.step()
    assert p.detach().tolist() == pytest.approx([0.9517, 1.0483, 0.9517], abs=5e-5)
    assert "p₃ ≈ (0.9517, 1.0483, 0.9517)" in rmsprop.lesson


def test_rmsprop_validates_and_streams_its_curve(validation):
    assert not validation.problems("chapter12/rmsprop")
    result = validation.result("chapter12/rmsprop", "solutions/foreach_groups.py")
    training = next(c for c in result.checks if c.kind == "training")
    learner, reference = training.series["learner"]["loss"], training.series["reference"]["loss"]
    assert len(learner) == len(reference) == 200 and learner[-1][1] < 0.5 * learner[0][1]


def test_rmsprop_adam_style_correction_is_named_on_the_first_step(grade):
    """A learner who borrows Adam's correction, keeping a global step count on the optimizer."""
    source = '''
import torch


class RMSprop(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                                      centered=centered))
        self.t = 0

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        self.t += 1
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad.add(p, alpha=group["weight_decay"])
                sq = self.state[p].setdefault("sq", torch.zeros_like(p))
                sq.mul_(group["alpha"]).add_((1 - group["alpha"]) * g.square())
                s_hat = sq / (1 - group["alpha"] ** self.t)
                p.addcdiv_(g, s_hat.sqrt() + group["eps"], value=-group["lr"])
        return loss
'''
    result = grade("chapter12/rmsprop", source)
    assert result.verdict is Verdict.FAIL
    first_step = next(c for c in result.checks if c.name.startswith("the first step"))
    assert first_step.diagnosis == "rmsprop.bias_corrected"
    assert "10 × lr" in first_step.message


# -- adadelta ---------------------------------------------------------------------------------------

ADADELTA_DIAGNOSES = {
    "adadelta.eps_outside_sqrt", "adadelta.rho_swapped", "adadelta.new_u_in_step", "adadelta.lr_ignored",
    "adadelta.lr_in_accumulator", "adadelta.ignores_groups", "adadelta.closure_ignored", "adadelta.closure_no_grad",
}


@pytest.fixture(scope="module")
def adadelta(catalog):
    return catalog.exercise("chapter12/adadelta")


def test_adadelta_metadata(adadelta, chapter):
    slugs = [ex.slug for ex in chapter.exercises]
    assert slugs[:5] == ["momentum", "adagrad", "rmsprop", "adadelta", "adam"]  # D2L 12.6 - 12.10
    assert len(adadelta.hints) >= 3 and len(adadelta.solutions) >= 2
    assert {m.diagnosis for m in adadelta.mutants if m.diagnosis} == ADADELTA_DIAGNOSES == set(adadelta.diagnoses)
    assert any(m.verdict == "forbidden" for m in adadelta.mutants)
    assert {"property", "training"} <= {c.kind for c in load_checks(adadelta)}
    assert {"torch.optim.Adadelta", "torch.optim.adadelta._single_tensor_adadelta"} <= set(adadelta.banned_names)
    assert "√(uₜ₋₁ + ε) / √(sₜ + ε)" in adadelta.lesson


def test_adadelta_lesson_numbers_are_torchs(adadelta):
    import torch

    p = torch.ones(3, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adadelta([p], lr=1.0, rho=0.5, eps=1e-2)
    for _ in range(3):
        p.grad = torch.tensor([4.0, -1.0, 0.01], dtype=torch.float64)
        opt.step()
    assert p.detach().tolist() == pytest.approx([0.5157, 1.4791, 0.9700], abs=5e-5)
    assert "p₃ ≈ (0.5157, 1.4791, 0.9700)" in adadelta.lesson


def test_adadelta_validates_and_streams_its_curve(validation):
    assert not validation.problems("chapter12/adadelta")
    result = validation.result("chapter12/adadelta", "solutions/textbook.py")
    training = next(c for c in result.checks if c.kind == "training")
    learner, reference = training.series["learner"]["loss"], training.series["reference"]["loss"]
    assert len(learner) == len(reference) == 200 and learner[-1][1] < 0.5 * learner[0][1]


# --- chapter12/warmup_cosine ---------------------------------------------------------------

WARMUP_COSINE_DIAGNOSES = {
    "warmup_cosine.warmup_off_by_one", "warmup_cosine.cosine_over_total", "warmup_cosine.degrees",
    "warmup_cosine.bare_cosine", "warmup_cosine.ignores_min_lr", "warmup_cosine.not_clamped",
    "warmup_cosine.zero_warmup",
}


@pytest.fixture(scope="module")
def warmup_cosine(catalog):
    return catalog.exercise("chapter12/warmup_cosine")


def _first_failure(result):
    failed = [c for c in result.checks if c.verdict is not Verdict.PASS]
    assert failed, "expected a failing check"
    return failed[0]


def test_warmup_cosine_metadata(warmup_cosine, chapter):
    slugs = [ex.slug for ex in chapter.exercises]
    assert slugs.index("adam") < slugs.index("warmup_cosine") == len(slugs) - 1  # D2L 12.11 ends the chapter
    assert len(warmup_cosine.hints) >= 3 and len(warmup_cosine.solutions) >= 2
    declared = {m.diagnosis for m in warmup_cosine.mutants if m.diagnosis}
    assert declared == WARMUP_COSINE_DIAGNOSES == set(warmup_cosine.diagnoses)
    assert any(m.verdict == "forbidden" for m in warmup_cosine.mutants)
    checks = load_checks(warmup_cosine)
    assert len(checks) >= 8 and checks[0].id == "lesson_example"
    assert "torch.optim.lr_scheduler.*" in warmup_cosine.banned_names
    sig = ("def warmup_cosine(step: int, base_lr: float, warmup_steps: int, total_steps: int, "
           "min_lr: float = 0.0) -> float:")
    assert sig in warmup_cosine.lesson
    for word in ("½(1 + cos(π·p))", "p = (t − w) / (T − w)", "0.8536", "0.1464"):
        assert word in warmup_cosine.lesson


def test_warmup_cosine_lesson_table_matches_torch():
    """The lesson's table (η = 1, w = 2, T = 6) is what torch's own composition gives."""
    import torch

    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    warm = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: t / 2)
    cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=0.0)
    sched = torch.optim.lr_scheduler.SequentialLR(opt, [warm, cos], milestones=[2])
    lrs = []
    for _ in range(7):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    assert lrs == pytest.approx([0.0, 0.5, 1.0, 0.8536, 0.5, 0.1464, 0.0], abs=5e-5)


WC_GOOD_COSINE = """
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return float(min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * p)) / 2)
"""


def test_warmup_cosine_counting_steps_from_one_is_named_at_step_zero(grade):
    """Another style: a shifted step counter `t = step + 1` used everywhere, not just in the warmup."""
    source = """import math

def warmup_cosine(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    t = step + 1
    if t <= warmup_steps:
        return base_lr * t / warmup_steps
    if step >= total_steps:
        return float(min_lr)
    p = (t - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (base_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * min(p, 1.0)))
"""
    first = _first_failure(grade("chapter12/warmup_cosine", source))
    assert first.id == "lesson_example" and first.verdict is Verdict.FAIL
    assert first.diagnosis == "warmup_cosine.warmup_off_by_one"
    assert "warmup_cosine(0, base_lr=1" in first.message and "= 0.5, expected 0" in first.message


def test_warmup_cosine_progress_from_step_zero_is_named_cosine_over_total(grade):
    source = """import math

def warmup_cosine(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step >= total_steps:
        return float(min_lr)
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    return min_lr + (base_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * step / total_steps))
"""
    first = _first_failure(grade("chapter12/warmup_cosine", source))
    assert first.id == "lesson_example" and first.diagnosis == "warmup_cosine.cosine_over_total"
    assert "warmup_cosine(2, base_lr=1" in first.message and "steps 0 to 1 agree" in first.message


def test_warmup_cosine_degrees_in_torch_is_named(grade):
    source = """import torch

def warmup_cosine(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    p = torch.tensor(min(step, total_steps) - warmup_steps, dtype=torch.float64) / (total_steps - warmup_steps)
    return float(min_lr + (base_lr - min_lr) * 0.5 * (1 + torch.cos(180 * p)))
"""
    first = _first_failure(grade("chapter12/warmup_cosine", source))
    assert first.diagnosis == "warmup_cosine.degrees"
    assert "warmup_cosine(3, base_lr=1" in first.message


def test_warmup_cosine_floor_kept_only_at_the_end_is_named_ignores_min_lr(grade):
    """min_lr used for the tail but not inside the cosine: only a check with min_lr > 0 shows it."""
    source = """import math

def warmup_cosine(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step >= total_steps:
        return min_lr
    if step < warmup_steps:
        return step * (base_lr / warmup_steps)
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return base_lr * math.cos(math.pi * p / 2) ** 2
"""
    result = grade("chapter12/warmup_cosine", source)
    first = _first_failure(result)
    assert first.id == "cosine_midpoint" and first.diagnosis == "warmup_cosine.ignores_min_lr"
    assert next(c for c in result.checks if c.id == "lesson_example").verdict is Verdict.PASS


def test_warmup_cosine_periodic_cosine_past_the_end_is_named_not_clamped(grade):
    source = """import numpy as np

def warmup_cosine(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    warm = base_lr * step / warmup_steps if step < warmup_steps else None
    if warm is not None:
        return float(warm)
    phase = np.pi * (step - warmup_steps) / (total_steps - warmup_steps)
    return float(min_lr + (base_lr - min_lr) * (1 + np.cos(phase)) / 2)
"""
    first = _first_failure(grade("chapter12/warmup_cosine", source))
    assert first.id == "lesson_example" and first.diagnosis == "warmup_cosine.not_clamped"
    assert "warmup_cosine(7, base_lr=1" in first.message and "steps 0 to 6 agree" in first.message


def test_warmup_cosine_dividing_by_zero_warmup_is_named_not_a_crash(grade):
    source = """import math

def warmup_cosine(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    scale = min(1.0, step / warmup_steps)
    if scale < 1.0:
        return base_lr * scale
    if step >= total_steps:
        return float(min_lr)
""" + WC_GOOD_COSINE
    result = grade("chapter12/warmup_cosine", source)
    first = _first_failure(result)
    assert first.id == "no_warmup" and first.verdict is Verdict.FAIL
    assert first.diagnosis == "warmup_cosine.zero_warmup"
    assert "warmup_steps=0" in first.message and "ZeroDivisionError" in first.message


def test_warmup_cosine_tensor_result_is_told_to_return_a_float(grade):
    source = """import torch

def warmup_cosine(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        return torch.tensor(base_lr * step / warmup_steps)
    if step >= total_steps:
        return torch.tensor(min_lr)
    p = torch.tensor((step - warmup_steps) / (total_steps - warmup_steps))
    return min_lr + (base_lr - min_lr) * 0.5 * (1 + torch.cos(torch.pi * p))
"""
    result = grade("chapter12/warmup_cosine", source)
    first = _first_failure(result)
    assert first.verdict is Verdict.FAIL and "float" in first.message


def test_warmup_cosine_lambda_lr_is_forbidden(grade):
    source = """import torch

def warmup_cosine(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 0.0)
    return float(sched.get_last_lr()[0])
"""
    assert grade("chapter12/warmup_cosine", source).verdict is Verdict.FORBIDDEN


# -- chapter12/yogi ---------------------------------------------------------------------------------

YOGI_DIAGNOSES = {
    "yogi.adam_update", "yogi.sign_flipped", "yogi.bias_plus", "yogi.no_bias_correction", "yogi.eps_in_sqrt",
    "yogi.eps_before_correction", "yogi.initial_accumulator", "yogi.decoupled_decay", "yogi.ignores_groups",
    "yogi.shared_step", "yogi.closure_ignored", "yogi.closure_no_grad",
}


@pytest.fixture(scope="module")
def yogi(catalog):
    return catalog.exercise("chapter12/yogi")


def _yogi_modules(yogi):
    from tutor.grader.reference import load_trusted_module

    return (load_trusted_module(yogi.reference_path, "test_yogi_reference"),
            load_trusted_module(yogi.folder / "checks.py", "test_yogi_checks"))


def test_yogi_metadata(yogi, chapter):
    slugs = [ex.slug for ex in chapter.exercises]
    assert slugs.index("adam") + 1 == slugs.index("yogi") == slugs.index("warmup_cosine") - 1  # D2L 12.10.3
    assert len(yogi.hints) >= 3 and len(yogi.solutions) >= 2
    assert {m.diagnosis for m in yogi.mutants if m.diagnosis} - {"generic.nonfinite"} == YOGI_DIAGNOSES
    assert set(yogi.diagnoses) == YOGI_DIAGNOSES
    assert any(m.verdict == "forbidden" for m in yogi.mutants)
    checks = load_checks(yogi)
    assert checks[0].id == "lesson_example" and len(checks) >= 8
    assert {"property", "stability", "training"} <= {c.kind for c in checks}
    assert "torch.optim.Adam" in yogi.banned_names and "torch.optim.Optimizer" not in yogi.banned_names
    for words in ("sₜ = sₜ₋₁ − (1 − β₂)·sign(sₜ₋₁ − gₜ²)·gₜ²", "ŝₜ = sₜ / (1 − β₂ᵗ)", "(√ŝₜ + ε)",
                  "never 1 + βᵗ", "__init__(self, params, lr=1e-2, betas=(0.9, 0.999), eps=1e-3, weight_decay=0.0)"):
        assert words in yogi.lesson


def test_yogi_lesson_numbers_are_the_reference_and_the_oracle(yogi):
    """The hand example's p₁, p₂, p₃ come out of reference.py and of the checks' oracle alike, and the
    Adam comparison in the lesson is torch.optim.Adam's."""
    import torch

    reference, checks = _yogi_modules(yogi)
    grads = [torch.tensor(g, dtype=torch.float64) for g in checks.LESSON_GRADS]

    def run(make):
        p = torch.ones(2, dtype=torch.float64, requires_grad=True)
        opt, rows = make([p]), []
        for g in grads:
            p.grad = g.clone()
            opt.step()
            rows.append(p.detach().clone().tolist())
        return rows

    ours = run(lambda ps: reference.Yogi(ps, lr=0.1, betas=(0.5, 0.5)))
    oracle = run(lambda ps: checks.yogi_oracle().Yogi(ps, lr=0.1, betas=(0.5, 0.5)))
    adam = run(lambda ps: torch.optim.Adam(ps, lr=0.1, betas=(0.5, 0.5), eps=1e-3))
    assert sum(ours, []) == pytest.approx(sum(oracle, []), rel=1e-12)
    for row in ours:
        assert f"≈ ({row[0]:.7f}, {row[1]:.7f})" in yogi.lesson
    assert f"p₃ ≈ ({ours[2][0]:.7f}, {ours[2][1]:.7f})" in yogi.lesson
    assert f"p₃ ≈ ({adam[2][0]:.7f}, {adam[2][1]:.7f})" in yogi.lesson
    assert ours[2][0] > adam[2][0] + 0.04  # Yogi's s fell less on the shrinking coordinate: a shorter step


def test_yogi_oracle_matches_the_formula_in_numpy(yogi):
    """Three independent spellings agree: the oracle, reference.py and the NumPy recurrence the
    second-moment judge quotes (ŝ read back from the steps with β₁ = 0)."""
    import numpy as np

    from tutor.grader.context import Context

    reference, checks = _yogi_modules(yogi)
    want = checks.predicted_second_moments()["yogi"]
    ctx = Context(seed=0)
    for module in (checks.yogi_oracle(), reference):
        got = checks.second_moment(module, ctx)["s_hat"].numpy()
        np.testing.assert_allclose(got, want, rtol=1e-9)
    adam = checks.predicted_second_moments()["yogi.adam_update"]
    assert np.abs(adam - want).max() > 1.0  # the check tells Adam's average from Yogi's by far


def test_yogi_validates_and_streams_its_curve(validation):
    assert not validation.problems("chapter12/yogi")
    result = validation.result("chapter12/yogi", "solutions/where_branches.py")
    training = next(c for c in result.checks if c.kind == "training")
    learner, reference = training.series["learner"]["loss"], training.series["reference"]["loss"]
    assert len(learner) == len(reference) == 200 and learner[-1][1] < 0.5 * learner[0][1]
    flipped = validation.result("chapter12/yogi", "mutants/sign_flipped.py")
    first = next(c for c in flipped.checks if c.id == "first_step")
    assert first.diagnosis == "yogi.sign_flipped" and "NaN" in first.message


YOGI_HEAD = '''
import torch


class Yogi(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, betas=(0.9, 0.999), eps=1e-3, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + group["weight_decay"] * p
                st = self.state[p]
                st["t"] = st.get("t", 0) + 1
                m, s = st.get("m", torch.zeros_like(p)), st.get("s", torch.zeros_like(p))
'''
YOGI_TAIL = '''
                st["m"], st["s"] = m, s
                m_hat = m / (1 - b1 ** st["t"])
                s_hat = s / (1 - b2 ** st["t"])
                p.add_(-group["lr"] * m_hat / (s_hat.sqrt() + group["eps"]))
        return loss
'''


def _yogi_source(moments: str) -> str:
    return YOGI_HEAD + "\n".join(" " * 16 + line for line in moments.strip().splitlines()) + YOGI_TAIL


def test_yogi_source_template_is_correct_with_the_right_line(grade):
    """The template the next tests bend is itself right, so their failures come from the one line."""
    result = grade("chapter12/yogi", _yogi_source('''
m = b1 * m + (1 - b1) * g
s = s + (1 - b2) * torch.sign(g * g - s) * (g * g)
'''))
    assert result.verdict is Verdict.PASS, [(c.id, c.message) for c in result.checks if c.verdict is not Verdict.PASS]


def test_yogi_adam_average_written_additively_is_named_on_the_second_moment(grade):
    """Adam's average disguised as an additive update, s + (1 − β₂)(g² − s): the first step agrees, the
    second-moment check shows ŝ and names Adam's update."""
    result = grade("chapter12/yogi", _yogi_source('''
m = m + (1 - b1) * (g - m)
s = s + (1 - b2) * (g * g - s)
'''))
    assert result.verdict is Verdict.FAIL
    by_id = {c.id: c for c in result.checks}
    assert by_id["first_step"].verdict is Verdict.PASS
    moment = by_id["second_moment"]
    assert moment.diagnosis == "yogi.adam_update"
    assert "your step implies ŝ = 9" in moment.message and "gives 10.5882" in moment.message


def test_yogi_where_with_the_branches_swapped_is_named_sign_flipped(grade):
    """torch.where with its two branches the wrong way round: s moves away from g²."""
    result = grade("chapter12/yogi", _yogi_source('''
m = b1 * m + (1 - b1) * g
s = torch.where(s < g * g, s - (1 - b2) * g * g, s + (1 - b2) * g * g)
'''))
    assert result.verdict is Verdict.FAIL
    first = next(c for c in result.checks if c.id == "first_step")
    assert first.diagnosis == "yogi.sign_flipped"
    assert "s₁ = (1 − β₂)·g² must be positive" in first.message


def test_yogi_half_corrected_second_moment_fails_on_the_first_step_with_the_moves(grade):
    """m corrected but s not: no named mistake, but the first check shows the expected and actual moves."""
    result = grade("chapter12/yogi", YOGI_HEAD + '''
                m = b1 * m + (1 - b1) * g
                s = s - (1 - b2) * torch.sign(s - g * g) * g * g
                st["m"], st["s"] = m, s
                p.add_(-group["lr"] * (m / (1 - b1 ** st["t"])) / (s.sqrt() + group["eps"]))
        return loss
''')
    assert result.verdict is Verdict.FAIL
    first = next(c for c in result.checks if c.id == "first_step")
    assert first.verdict is Verdict.FAIL
    assert "lr·g/(|g| + ε)" in first.message and "you moved them by" in first.message
