"""Instructor validation: do an exercise's checks tell right from wrong?

For every exercise: the starter is `not_started`; the reference and every file in
`solutions/` pass; every file in `mutants/` does not pass, gets the verdict its header
declares (`# verdict: forbidden`; default: fail or error) and, when it declares
`# diagnosis: id`, some check names that diagnosis.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tutor.engine.catalog import Exercise
from tutor.grader.grade import Grader
from tutor.grader.results import ExerciseResult, Verdict


@dataclass
class Finding:
    exercise: str
    file: str
    ok: bool
    expected: str
    got: str

    def line(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        return f"{mark} {self.exercise} {self.file}: expected {self.expected}, got {self.got}"


def _summary(result: ExerciseResult) -> str:
    diagnoses = sorted({c.diagnosis for c in result.checks if c.diagnosis})
    return str(result.verdict) + (f" [{', '.join(diagnoses)}]" if diagnoses else "")


def validate_exercise(ex: Exercise, grader: Grader, on_finding: Callable[[Finding], None] | None = None) -> list[Finding]:
    findings: list[Finding] = []

    def add(finding: Finding) -> None:
        findings.append(finding)
        if on_finding:
            on_finding(finding)

    with tempfile.TemporaryDirectory(prefix="tutor-validate-") as tmp:
        # Graded from a copy named like a learner's file, outside the protected lesson folder.
        def grade(source: Path, starter_shortcut: bool = True) -> ExerciseResult:
            target = Path(tmp) / ex.chapter / f"{ex.slug}.py"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            return grader.grade(ex, target, starter_shortcut=starter_shortcut)

        starter = grade(ex.starter_path, starter_shortcut=False)
        add(Finding(ex.id, "starter.py", starter.verdict is Verdict.NOT_STARTED, "not_started", _summary(starter)))
        for path in [ex.reference_path, *ex.solutions]:
            result = grade(path)
            name = path.relative_to(ex.folder).as_posix()
            failing = "; ".join(f"{c.name}: {c.message[:200]}" for c in result.checks if c.verdict is not Verdict.PASS)
            add(Finding(ex.id, name, result.verdict is Verdict.PASS, "pass",
                        _summary(result) + (f" ({failing})" if failing else "")))
        for mutant in ex.mutants:
            result = grade(mutant.path)
            name = mutant.path.relative_to(ex.folder).as_posix()
            if mutant.verdict == "fail":
                verdict_ok = result.verdict in (Verdict.FAIL, Verdict.ERROR)
                want = "fail"
            else:
                verdict_ok = str(result.verdict) == mutant.verdict
                want = mutant.verdict
            diagnosed = mutant.diagnosis is None or any(c.diagnosis == mutant.diagnosis for c in result.checks)
            if mutant.diagnosis:
                want += f" with diagnosis {mutant.diagnosis}"
            add(Finding(ex.id, name, verdict_ok and diagnosed, want, _summary(result)))
    return findings
