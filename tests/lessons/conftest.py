"""One validation of the whole built-in catalog per test session, shared by every lesson test.

`tutor instructor validate` runs over every exercise (two at a time); each test then reads the
findings and the gradings it needs (`validation.result("chapter12/adam", "mutants/bias_plus.py")`)
instead of grading the same files again.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tutor.engine.catalog import load_catalog
from tutor.grader.grade import Grader
from tutor.grader.results import ExerciseResult
from tutor.grader.validate import Finding, validate_all
from tutor.grader.warm_imports import for_exercises

JOBS = int(os.environ.get("TUTOR_TEST_JOBS", "2"))


@dataclass
class Validation:
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    results: dict[tuple[str, str], ExerciseResult] = field(default_factory=dict)

    def result(self, exercise: str, file: str) -> ExerciseResult:
        return self.results[(exercise, file)]

    def problems(self, exercise: str) -> list[str]:
        return [f.line() for f in self.findings.get(exercise, []) if not f.ok]


@pytest.fixture(scope="session")
def reference_cache(tmp_path_factory) -> Path:
    """One reference cache for the session: each check's expected values are computed once."""
    return Path(tmp_path_factory.mktemp("reference-cache"))


@pytest.fixture(scope="session")
def preload(catalog) -> tuple[str, ...]:
    """What the graders' workers import once (as `tutor instructor validate` does)."""
    return for_exercises(catalog.exercises)


@pytest.fixture(scope="session")
def validation(reference_cache, preload) -> Validation:
    catalog = load_catalog()
    out = Validation()
    lock = threading.Lock()

    def record(exercise, file, result):
        with lock:
            out.results[(exercise, file)] = result

    make_grader = lambda: Grader(cache_dir=reference_cache, preload=preload)  # noqa: E731
    for finding in validate_all(catalog.exercises, make_grader, jobs=JOBS, on_result=record):
        out.findings.setdefault(finding.exercise, []).append(finding)
    return out


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def grade(tmp_path_factory, catalog, reference_cache, preload):
    """grade(exercise_id, source) -> ExerciseResult: a learner file graded as `tutor check` would."""
    grader = Grader(cache_dir=reference_cache, preload=preload)
    root = Path(tmp_path_factory.mktemp("learner"))
    count = [0]

    def run(exercise_id: str, source: str) -> ExerciseResult:
        ex = catalog.exercise(exercise_id)
        count[0] += 1
        path = root / str(count[0]) / ex.chapter / f"{ex.slug}.py"
        path.parent.mkdir(parents=True)
        path.write_text(source)
        return grader.grade(ex, path)

    yield run
    grader.close()
