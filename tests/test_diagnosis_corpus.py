"""The diagnosis corpus: realistic wrong answers to every built-in exercise, and how many of
them the grader names (issue goal: at least 90% of the wrong answers that run get a diagnosis).

The rate itself grades every corpus file (minutes on a loaded machine), so it is marked slow;
the shape of the corpus is checked on every run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tutor.engine.catalog import load_catalog
from tutor.grader.corpus import Graded, corpus_files, grade_corpus, mistake_of, rate
from tutor.grader.grade import Grader
from tutor.grader.warm_imports import for_exercises

CORPUS = Path(__file__).resolve().parent / "diagnosis_corpus"
TARGET_RATE = 0.9
PER_EXERCISE = 6


def _normalised(path: Path) -> str:
    """The code without comments, docstrings or layout, to tell a copy from a fresh answer."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


# The corpus was written for the curriculum as it stood when wrong answers were found to go
# unnamed; exercises added since bring their own mutants and hand-written wrong answers in
# tests/lessons.
COVERED = {
    "chapter2/broadcasting", "chapter2/in_place_update", "chapter2/matrix_calculus", "chapter2/jacobian",
    "chapter3/minibatches", "chapter3/linear_regression", "chapter3/ridge_lasso",
    "chapter4/softmax", "chapter4/cross_entropy",
    "chapter7/corr2d", "chapter7/conv_output_shape", "chapter7/multi_in_out", "chapter7/conv2d", "chapter7/pool2d",
    "chapter7/lenet",
    "chapter8/nin", "chapter8/batch_norm", "chapter8/residual_block", "chapter8/dense_block",
    "chapter9/bptt", "chapter10/bleu", "chapter10/corpus_bleu", "chapter10/beam_search",
    "chapter12/adam", "chapter13/checkpointing",
}


def test_every_covered_exercise_has_its_wrong_answers():
    catalog = load_catalog()
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir() and "__" in p.name}
    covered = [catalog.exercise(name) for name in sorted(COVERED)]
    for ex in covered:
        folder = f"{ex.chapter}__{ex.slug}"
        assert folder in folders, f"no corpus for {ex.id}"
        files = sorted((CORPUS / folder).glob("*.py"))
        assert len(files) >= PER_EXERCISE, f"{ex.id}: {len(files)} wrong answers, want {PER_EXERCISE}"


def test_each_wrong_answer_names_its_mistake_and_is_not_a_mutant_copy():
    catalog = load_catalog()
    files = corpus_files(CORPUS, catalog)  # an unknown exercise folder raises here
    assert files
    for exercise, path in files:
        assert mistake_of(path), f"{path} lacks its first line '# mistake: ...'"
        ast.parse(path.read_text(encoding="utf-8"))  # a syntax error would measure nothing
        mutants = {_normalised(m.path) for m in catalog.exercise(exercise).mutants}
        assert _normalised(path) not in mutants, f"{path} is a copy of one of the exercise's mutants"


def test_rate_counts_only_wrong_answers_that_ran():
    graded = [Graded("c/e", "a.py", "", "fail", ["x"]), Graded("c/e", "b.py", "", "fail", []),
              Graded("c/e", "c.py", "", "error", []), Graded("c/e", "d.py", "", "timeout", [])]
    assert rate(graded) == 0.5
    assert rate(graded[2:]) == 1.0


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_at_least_nine_in_ten_wrong_answers_get_a_name(tmp_path):
    catalog = load_catalog()
    preload = for_exercises(catalog.exercises)
    graded = grade_corpus(CORPUS, catalog, lambda: Grader(cache_dir=tmp_path, preload=preload), jobs=2)
    counted = [g for g in graded if g.counted]
    # Most of the corpus must actually be measured: timeouts and errors are left out of the rate.
    assert len(counted) >= 0.8 * len(graded), [(g.exercise, g.file, g.verdict) for g in graded if not g.counted]
    unnamed = [f"{g.exercise}/{g.file}" for g in counted if not g.diagnosed]
    assert rate(graded) >= TARGET_RATE, unnamed
