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
