"""`tutor check` and `tutor instructor validate`: grading sessions with rendered reports."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from tutor.engine.errors import TargetError
from tutor.engine.workspace import Workspace


def run_check(ws: Workspace, targets: list[str], all_: bool, fmt: str, output: Path | None) -> int:
    # Start the grading worker first: it imports torch while we load the catalog and torch here.
    from tutor.engine.runner import WorkerPool

    pool = WorkerPool()
    try:
        from tutor.grader.reports import RENDERERS
        from tutor.grader.session import Session

        session = Session.open(ws, pool=pool)
        if all_ or not targets:
            exercises = session.catalog.exercises
        else:
            exercises = session.catalog.resolve(targets)
        if not exercises:
            raise TargetError("nothing to check: the catalog has no exercises")
        report = session.check(exercises)
        # On a terminal the text report gets colour and the terminal's width; elsewhere plain 120 columns.
        terminal = Console(highlight=False) if sys.stdout.isatty() else None
        text = RENDERERS[fmt](report) if fmt != "text" or output is not None else RENDERERS["text"](report, terminal)
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
            if fmt != "text":
                sys.stdout.write(RENDERERS["text"](report, terminal))
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return report.exit_code
    finally:
        pool.close()


def run_validate(packs: list[Path], targets: list[str], jobs: int = 1) -> int:
    from tutor.engine.catalog import load_catalog
    from tutor.grader.grade import Grader
    from tutor.grader.validate import validate_all

    catalog = load_catalog(packs, include_builtin=not packs)
    exercises = catalog.resolve(targets) if targets else catalog.exercises
    console = Console()

    def show(f) -> None:
        console.print("[green]ok  [/]" if f.ok else "[bold red]FAIL[/]",
                      escape(f"{f.exercise} {f.file} -> {f.got}" + ("" if f.ok else f" (expected {f.expected})")),
                      highlight=False)

    findings = validate_all(exercises, lambda: Grader(cache_dir=None), jobs=jobs, on_finding=show)
    bad = sum(not f.ok for f in findings)
    console.print(f"{len(exercises)} exercise(s) validated, {bad} problem(s)")
    return 1 if bad else 0


def run_preview(exercise_id: str, packs: list[Path]) -> None:
    """An exercise as a learner sees it, plus what only an author sees: check titles and diagnoses."""
    from rich.markdown import Markdown

    from tutor.engine.catalog import load_catalog
    from tutor.engine.commands import one_exercise
    from tutor.grader.reference import load_checks

    ex = one_exercise(load_catalog(packs), exercise_id)
    checks = load_checks(ex)
    console = Console()
    console.rule(f"{ex.id}: {ex.title}")
    console.print(Markdown(ex.lesson))
    console.rule("starter")
    console.print(ex.starter)
    console.rule("hints")
    for i, text in enumerate(ex.hints, 1):
        console.print(f"{i}. {text}")
    console.rule("checks")
    for c in checks:
        console.print(f"- [{c.kind}] {c.id}: {c.name}", markup=False)
    console.rule("diagnoses")
    for key, text in ex.diagnoses.items():
        console.print(f"- {key}: {text}")
