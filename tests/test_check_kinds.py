"""The reusable check kinds judge plain data on their own: unit tests without a child process."""

import numpy as np
import torch

from tutor.grader.checks import (Context, GradientCheck, JudgeContext, PropertyCheck, ScenarioCheck, TrainingCheck,
                                 ValueCheck)
from tutor.engine.codec import to_plain

DIAG = {"demo.wrong": "You did the wrong thing.", "demo.mutates": "You changed the input."}


class Module:
    def __init__(self, fn):
        self.f = fn


def run(check, fn):
    return to_plain(check.run(Module(fn), Context(seed=check.seed)))


def inputs(ctx):
    return {"X": torch.randn(3, 4, generator=ctx.generator())}


def test_value_check_passes_right_and_names_variant_for_wrong():
    check = ValueCheck("v", "v", "f", inputs, mutation_diagnosis="demo.mutates")
    expected = run(check, lambda X: X * 2)
    wrong = run(check, lambda X: X * 3)
    assert check.judge(run(check, lambda X: X + X), expected, JudgeContext(DIAG)).verdict == "pass"
    jc = JudgeContext(DIAG, lambda: {"demo.wrong": wrong})
    j = check.judge(wrong, expected, jc)
    assert j.verdict == "fail" and j.diagnosis == "demo.wrong"
    assert j.message.startswith("You did the wrong thing.") and "largest absolute difference" in j.message
    assert "seed" not in j.message  # small inputs are shown in full
    other = check.judge(run(check, lambda X: X * 4), expected, jc)
    # No known variant gives 4X, but the comparison itself does: twice the expected values.
    assert other.verdict == "fail" and other.diagnosis == "generic.scaled" and "2 × the expected" in other.message
    odd = check.judge(run(check, lambda X: X.sin()), expected, jc)
    assert odd.verdict == "fail" and odd.diagnosis is None


def test_value_check_catches_in_place_change():
    check = ValueCheck("v", "v", "f", inputs, mutation_diagnosis="demo.mutates")
    expected = run(check, lambda X: X * 2)

    def sneaky(X):
        out = X * 2
        X.zero_()
        return out

    j = check.judge(run(check, sneaky), expected, JudgeContext(DIAG))
    assert j.verdict == "fail" and j.diagnosis == "demo.mutates" and "changed its argument in place" in j.message


def test_large_inputs_say_how_to_reproduce():
    check = ValueCheck("big", "big", "f", lambda ctx: {"X": torch.randn(10, 10, generator=ctx.generator())})
    j = check.judge(run(check, lambda X: X), run(check, lambda X: -X), JudgeContext({}))
    assert f"check seed {check.seed}" in j.message


def test_property_check_needs_no_reference():
    check = PropertyCheck("p", "p", "f", inputs, [("all positive", lambda out, inp: (out > 0).all())])
    assert check.judge(run(check, torch.exp), run(check, torch.exp), JudgeContext({})).verdict == "pass"
    j = check.judge(run(check, lambda X: X), run(check, torch.exp), JudgeContext({}))
    assert j.verdict == "fail" and "all positive" in j.message


def test_gradient_check_tells_detached_and_wrong_gradients():
    make = lambda ctx: {"X": torch.randn(2, 3, generator=ctx.generator(), dtype=torch.float64)}  # noqa: E731
    check = GradientCheck("g", "g", "f", make, wrt=("X",), not_differentiable="demo.wrong")
    expected = run(check, lambda X: X ** 2)
    assert check.judge(run(check, lambda X: X * X), expected, JudgeContext(DIAG)).verdict == "pass"
    detached = check.judge(run(check, lambda X: (X ** 2).detach()), expected, JudgeContext(DIAG))
    assert detached.diagnosis == "demo.wrong" and "no gradient" in detached.message

    class BadSquare(torch.autograd.Function):
        @staticmethod
        def forward(ctx, X):
            ctx.save_for_backward(X)
            return X ** 2

        @staticmethod
        def backward(ctx, g):
            (X,) = ctx.saved_tensors
            return g * X  # forgot the factor 2

    bad = check.judge(run(check, BadSquare.apply), expected, JudgeContext(DIAG))
    assert bad.verdict == "fail" and "gradient['X']" in bad.message


def test_training_check_streams_points_and_compares_final_loss():
    def train(module, ctx):
        loss = 1.0
        for step in range(5):
            loss = module.f(loss)
            ctx.emit("loss", step, loss)
        return {"final_loss": loss}

    check = TrainingCheck("t", "t", train, rtol=1e-6, at_most=0.1)
    points = []
    ctx = Context(seed=0, emit_point=lambda s, k, v: points.append((s, k, v)))
    got = to_plain(check.run(Module(lambda v: v / 2), ctx))
    assert [p[1] for p in points] == [0, 1, 2, 3, 4] and points[-1][2] == got["final_loss"]
    assert check.judge(got, got, JudgeContext({})).verdict == "pass"
    slow = to_plain(check.run(Module(lambda v: v * 0.9), Context(seed=0)))
    j = check.judge(slow, got, JudgeContext({}))
    assert j.verdict == "fail" and "differs from the reference" in j.message
    nan = check.judge({"final_loss": float("nan")}, got, JudgeContext({}))
    assert "diverged" in nan.message


def test_scenario_check_judge_may_return_a_message():
    check = ScenarioCheck("s", "s", lambda m, ctx: {"n": m.f(2)},
                          judge=lambda got, exp, jc: None if got == exp else f"expected {exp['n']}, got {got['n']}")
    assert check.judge({"n": 4}, {"n": 4}, JudgeContext({})).verdict == "pass"
    j = check.judge({"n": 5}, {"n": 4}, JudgeContext({}))
    assert j.verdict == "fail" and j.message == "expected 4, got 5"
    default = ScenarioCheck("d", "d", lambda m, ctx: [1.0, np.ones(2)])
    assert default.judge([1.0, np.ones(2)], [1.0, np.ones(2)], JudgeContext({})).verdict == "pass"


def test_when_two_mistakes_explain_a_check_the_one_named_before_wins():
    check = ValueCheck("v", "v", "f", inputs)
    expected = run(check, lambda X: X * 2)
    wrong = run(check, lambda X: X * 3)
    variants = lambda: {"demo.a": wrong, "demo.b": wrong}  # noqa: E731
    assert check.judge(wrong, expected, JudgeContext(DIAG, variants)).diagnosis == "demo.a"
    assert check.judge(wrong, expected, JudgeContext(DIAG, variants, named=("demo.b",))).diagnosis == "demo.b"
