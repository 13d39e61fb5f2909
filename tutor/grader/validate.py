"""`tutor instructor validate`: the course's own check. Do an exercise's checks tell right from wrong?

Rules, each a finding (ok or not) an instructor can act on:
- the bans resolve in the installed packages (a typo would disable a ban);
- no scaffold placeholder (`AUTHOR:`) is left in any of the exercise's files;
- the starter is `not_started`;
- the reference and every solution pass, and there are at least two solutions;
- every mutant gets the verdict its header declares (`# verdict: forbidden`; default: fail or
  error) and, with `# diagnosis: id`, some check names that diagnosis; every declared
  diagnosis has a mutant that triggers it;
- two gradings of the reference are identical (the checks are deterministic);
- every check of the reference needs at most half its CPU budget (the other half is headroom for
  slower correct solutions and slower machines).
The schema itself is checked when the pack loads (a broken exercise.toml never gets here).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from tutor.engine import bans
from tutor.engine.catalog import Exercise
from tutor.engine.errors import CatalogError
from tutor.grader.grade import Grader
from tutor.grader.results import ExerciseResult, Verdict

PLACEHOLDER = "AUTHOR:"
MIN_SOLUTIONS = 2
HEADROOM = 0.5  # the reference may use this share of a check's CPU budget


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


def _placeholders(ex: Exercise) -> list[str]:
    found = []
    for path in sorted(ex.folder.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".md", ".toml") and "__pycache__" not in path.parts:
            try:
                if PLACEHOLDER in path.read_text(encoding="utf-8"):
                    found.append(path.relative_to(ex.folder).as_posix())
            except (OSError, UnicodeDecodeError):
                continue
    return found


def _fingerprint(result: ExerciseResult) -> list[tuple]:
    return [(c.id, str(c.verdict), c.message, c.diagnosis, c.data_digest, c.expected_digest) for c in result.checks]


def validate_exercise(ex: Exercise, grader: Grader, on_finding: Callable[[Finding], None] | None = None,
                      *, repeat: bool = True,
                      on_result: Callable[[str, ExerciseResult], None] | None = None) -> list[Finding]:
    """Every rule's finding for one exercise; `on_result(file, result)` sees each grading."""
    findings: list[Finding] = []

    def add(file: str, ok: bool, expected: str, got: str) -> None:
        finding = Finding(ex.id, file, ok, expected, got)
        findings.append(finding)
        if on_finding:
            on_finding(finding)

    problems = bans.check_all(bans.expand(list(ex.bans), list(ex.banned)))
    add("exercise.toml", not problems, "every ban to resolve in the installed packages",
        "; ".join(problems) or "all resolve")
    left = _placeholders(ex)
    add("(all files)", not left, f"no {PLACEHOLDER} placeholder", ", ".join(left) or "none")
    add("solutions/", len(ex.solutions) >= MIN_SOLUTIONS, f"at least {MIN_SOLUTIONS} correct solutions",
        f"{len(ex.solutions)}")
    with_mutant = {m.diagnosis for m in ex.mutants if m.diagnosis}
    unused = sorted(set(ex.diagnoses) - with_mutant)
    add("mutants/", not unused, "a mutant for every declared diagnosis",
        "missing for " + ", ".join(unused) if unused else "all covered")

    try:
        with tempfile.TemporaryDirectory(prefix="tutor-validate-") as tmp:
            # Graded from a copy named like a learner's file, outside the protected lesson folder.
            def grade(source: Path, starter_shortcut: bool = True) -> ExerciseResult:
                target = Path(tmp) / ex.chapter / f"{ex.slug}.py"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                result = grader.grade(ex, target, starter_shortcut=starter_shortcut)
                if on_result:
                    on_result(source.relative_to(ex.folder).as_posix(), result)
                return result

            starter = grade(ex.starter_path, starter_shortcut=False)
            add("starter.py", starter.verdict is Verdict.NOT_STARTED, "not_started", _summary(starter))
            reference = None
            for path in [ex.reference_path, *ex.solutions]:
                result = grade(path)
                reference = reference or result
                name = path.relative_to(ex.folder).as_posix()
                failing = "; ".join(f"{c.name}: {c.message[:200]}" for c in result.checks if c.verdict is not Verdict.PASS)
                add(name, result.verdict is Verdict.PASS, "pass", _summary(result) + (f" ({failing})" if failing else ""))
            budget = {c.id: c.timeout_s or ex.time_limit_s for c in ex.spec.checks}
            slow = [f"{c.id} took {c.cpu_s:.2f} s of CPU, budget {budget[c.id]:g} s" for c in reference.checks
                    if c.id in budget and c.cpu_s > HEADROOM * budget[c.id]]
            add("reference.py", not slow, f"every check within {HEADROOM:.0%} of its CPU budget",
                "; ".join(slow) or "all within")
            if repeat:
                again = grade(ex.reference_path)
                differ = [a[0] for a, b in zip(_fingerprint(reference), _fingerprint(again)) if a != b]
                add("reference.py", not differ, "two gradings to be identical",
                    "checks differ: " + ", ".join(differ) if differ else "identical")
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
                add(name, verdict_ok and diagnosed, want, _summary(result))
    except CatalogError as exc:
        # The reference (or an oracle) fails one of its own checks: nothing else can be judged.
        add("reference.py", False, "pass", str(exc))
    return findings


def validate_all(exercises: Iterable[Exercise], make_grader: Callable[[], Grader], *, jobs: int = 1,
                 on_finding: Callable[[Finding], None] | None = None, repeat: bool = True,
                 on_result: Callable[[str, str, ExerciseResult], None] | None = None) -> list[Finding]:
    """Validate exercises `jobs` at a time, each worker thread with its own grader.
    Findings come back in the exercises' order."""
    exercises = list(exercises)
    lock = threading.Lock()
    local = threading.local()
    graders: list[Grader] = []

    def report(finding: Finding) -> None:
        if on_finding:
            with lock:
                on_finding(finding)

    def one(ex: Exercise) -> list[Finding]:
        if not hasattr(local, "grader"):
            local.grader = make_grader()
            with lock:
                graders.append(local.grader)
        seen = (lambda file, result: on_result(ex.id, file, result)) if on_result else None
        return validate_exercise(ex, local.grader, report, repeat=repeat, on_result=seen)

    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="tutor-validate") as pool:
            results = list(pool.map(one, exercises))
    finally:
        for g in graders:
            g.close()
    return [f for found in results for f in found]
