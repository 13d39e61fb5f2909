"""chapter13/checkpointing: gradients equal plain execution, recomputation counted, memory measured."""

from __future__ import annotations

import re

import pytest

from tutor.grader.reference import load_checks
from tutor.grader.results import Verdict

EXPECTED_DIAGNOSES = {
    "checkpointing.no_savings", "checkpointing.graph_cut", "checkpointing.rng_not_restored",
    "checkpointing.rng_leak", "checkpointing.no_grad_input", "checkpointing.last_chunk_recomputed",
}


@pytest.fixture(scope="module")
def chapter(catalog):
    return catalog.chapter("chapter13")


@pytest.fixture(scope="module")
def exercise(catalog):
    return catalog.exercise("chapter13/checkpointing")


@pytest.fixture(scope="module")
def validated(validation, exercise):
    files = ["starter.py", "reference.py", *[p.relative_to(exercise.folder).as_posix() for p in exercise.solutions],
             *[m.path.relative_to(exercise.folder).as_posix() for m in exercise.mutants]]
    return validation.findings["chapter13/checkpointing"], {f: validation.result("chapter13/checkpointing", f) for f in files}


def test_chapter_and_exercise_metadata(chapter, exercise):
    assert chapter.title and chapter.summary
    assert exercise.id == "chapter13/checkpointing"
    assert len(exercise.hints) >= 3
    assert set(exercise.diagnoses) == EXPECTED_DIAGNOSES
    assert {m.diagnosis for m in exercise.mutants if m.diagnosis} == EXPECTED_DIAGNOSES
    assert any(m.verdict == "forbidden" for m in exercise.mutants)
    assert "torch.utils.checkpoint.checkpoint" in exercise.banned_names
    checks = load_checks(exercise)
    assert len(checks) >= 6
    assert {"gradient", "property", "resource"} <= {c.kind for c in checks}
    assert len(exercise.solutions) >= 2


def test_validation_findings_all_ok(validated):
    findings, _ = validated
    bad = [f.line() for f in findings if not f.ok]
    assert not bad, "\n".join(bad)


def test_lesson_quotes_the_numbers_the_check_measures(validated, exercise):
    _, results = validated
    sweep = next(c for c in results["reference.py"].checks if c.name.startswith("the memory trade-off"))
    assert sweep.verdict is Verdict.PASS
    measured = dict(re.findall(r"segments=(\d+): (\d+) KiB", sweep.message))
    assert set(measured) == {"1", "2", "4", "8", "16"}
    rows = dict(re.findall(r"^\|\s*(\d+)[^|]*\|\s*(\d+) KiB", exercise.lesson, flags=re.M))
    assert rows == measured
    # the O(√N) shape: memory falls, bottoms out near √N, rises again
    kib = [int(measured[k]) for k in ("1", "2", "4", "8", "16")]
    assert kib[0] > kib[1] > kib[2] and kib[3] < kib[4]
    assert min(kib) <= 0.4 * kib[0]


def test_plain_execution_is_caught_by_memory_and_call_counts(validated):
    _, results = validated
    result = results["mutants/plain_execution.py"]
    by_kind = {c.kind: c for c in result.checks if c.verdict is Verdict.FAIL}
    assert by_kind["resource"].diagnosis == "checkpointing.no_savings"
    assert "KiB" in by_kind["resource"].message
    assert by_kind["property"].diagnosis == "checkpointing.no_savings"


def test_dropout_checks_name_the_random_state_mistakes(validated):
    _, results = validated
    for mutant, diagnosis in (("rng_not_restored", "checkpointing.rng_not_restored"),
                              ("rng_leak", "checkpointing.rng_leak")):
        dropout = next(c for c in results[f"mutants/{mutant}.py"].checks if c.name.startswith("dropout"))
        assert dropout.verdict is Verdict.FAIL and dropout.diagnosis == diagnosis
    leak = next(c for c in results["mutants/rng_leak.py"].checks if c.name.startswith("dropout"))
    assert "random" in leak.message


def test_builtin_checkpoint_is_forbidden(validated):
    _, results = validated
    assert results["mutants/uses_torch_checkpoint.py"].verdict is Verdict.FORBIDDEN
