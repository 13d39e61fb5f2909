"""Per-student feedback: one markdown report per student, for the instructor to hand back.

Each failing check gets its verdict, the diagnosis (the misconception, when recognised), the
evidence (the input that shows it, expected and actual values) and what the code printed.
Everything the learner's code produced goes into fenced blocks, so it cannot turn into markup.
"""

from __future__ import annotations

import re
from pathlib import Path

from tutor.grader.results import ExerciseResult, Verdict


def fence(text: str, info: str = "text") -> str:
    """A fenced block longer than any run of backticks in `text`."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text.rstrip()}\n{ticks}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _trim(text: str, limit: int = 4000) -> str:
    return text if len(text) <= limit else text[:limit] + "\n… (truncated)"


def student_markdown(student, diagnoses: dict[str, dict[str, str]] | None = None) -> str:
    """`student`: a batch.StudentResult; `diagnoses`: exercise id -> {diagnosis id: text}."""
    diagnoses = diagnoses or {}
    report = student.report
    total = sum(r.score for r in report.results)
    lines = [f"# Feedback: {student.name}", "",
             f"**{report.passed} of {len(report.results)} exercises pass; total {total:.2f} / {len(report.results)}.**", ""]
    if student.problems:
        lines += ["## Problems with the submission", ""] + [f"- {_cell(p)}" for p in student.problems] + [""]
    lines += ["| exercise | verdict | score |", "|---|---|---|"]
    for r in report.results:
        lines.append(f"| {r.exercise} | {r.verdict.icon} {r.verdict.label} | {r.score:.2f} |")
    lines.append("")
    waiting = [r.exercise for r in report.results if r.verdict is Verdict.NOT_STARTED]
    if waiting:
        lines += [f"Not started yet (the file is still the starter): {', '.join(waiting)}.", ""]
    for r in report.results:
        if r.verdict not in (Verdict.PASS, Verdict.NOT_STARTED):
            lines += _exercise(r, diagnoses.get(r.exercise, {}))
    return "\n".join(lines).rstrip() + "\n"


def _exercise(r: ExerciseResult, diagnoses: dict[str, str]) -> list[str]:
    lines = [f"## {r.exercise}: {r.title}" if r.title else f"## {r.exercise}", "",
             f"Verdict: **{r.verdict.label}**, score {r.score:.2f}"
             f" ({sum(c.verdict is Verdict.PASS for c in r.checks)} of {len(r.checks)} checks pass).", ""]
    explained: set[str] = set()
    failing = [c for c in r.checks if c.verdict not in (Verdict.PASS, Verdict.NOT_STARTED)]
    # Checks that failed alike (the file is missing, the import raised) are shown once.
    groups: dict[tuple, list] = {}
    for check in failing:
        groups.setdefault((check.verdict, check.message, check.diagnosis), []).append(check)
    for same in groups.values():
        check = same[0]
        names = check.name if len(same) == 1 else f"{len(same)} checks ({', '.join(c.name for c in same)})"
        lines += [f"### {check.verdict.icon} {names}: {check.verdict.label}", ""]
        evidence = check.message
        if check.diagnosis:
            text = diagnoses.get(check.diagnosis)
            if check.diagnosis in explained:
                lines += [f"Diagnosis `{check.diagnosis}` again (see above).", ""]
            else:
                lines += [f"Diagnosis `{check.diagnosis}`: {text}" if text else f"Diagnosis `{check.diagnosis}`.", ""]
            explained.add(check.diagnosis)
            evidence = check.evidence or check.message
        if evidence:
            lines += ["Evidence:", "", fence(_trim(evidence)), ""]
        shown = {k: v for k, v in check.details.items() if k in ("input", "expected", "got", "learner", "reference")}
        if shown:
            lines += [fence("\n".join(f"{k}: {v}" for k, v in shown.items())), ""]
    if r.output.strip():
        lines += ["What the code printed:", "", fence(_trim(r.output, 2000)), ""]
    if r.note:
        lines += [f"Note: {r.note}", ""]
    return lines


def feedback_name(student_name: str) -> str:
    """A file name for a student (nested names a/b become a__b)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", student_name.replace("/", "__")).strip("._") or "student"
    return f"{safe}.md"


def write_feedback(folder: Path, students, diagnoses: dict[str, dict[str, str]] | None = None) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for student in students:
        path = folder / feedback_name(student.name)
        path.write_text(student_markdown(student, diagnoses), encoding="utf-8")
        written.append(path)
    return written
