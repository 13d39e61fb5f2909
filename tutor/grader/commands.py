"""`tutor check` and `tutor instructor validate`: grading sessions with rendered reports."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape

from tutor.engine.errors import TargetError
from tutor.engine.workspace import Workspace


def run_check(ws: Workspace, targets: list[str], all_: bool, outputs, *, lessons: list[Path] = (),
              strict: bool = False) -> int:
    """`outputs`: OutputSpecs (reports.outputs.pair_outputs). Only operator packs grade when
    --lessons or --strict is given or CI is set (engine.packs)."""
    # Start the grading worker first: it imports torch while we load the catalog and torch here.
    from tutor.engine.runner import WorkerPool

    pool = WorkerPool()
    try:
        from tutor.engine.packs import resolve
        from tutor.grader.reports.github import Locations
        from tutor.grader.reports.outputs import write_outputs
        from tutor.grader.session import Session

        catalog = resolve(ws, lessons, strict=strict).catalog
        session = Session.open(ws, pool=pool, catalog=catalog)
        if all_ or not targets:
            exercises = session.catalog.exercises
        else:
            exercises = session.catalog.resolve(targets)
        if not exercises:
            raise TargetError("nothing to check: the catalog has no exercises")
        report = session.check(exercises)
        write_outputs(report, outputs, locations=Locations.for_workspace(ws.root, exercises))
        return report.exit_code
    finally:
        pool.close()


def run_validate(packs: list[Path], targets: list[str], lessons: list[Path] = (), jobs: int = 1) -> int:
    """Validates the packs named (positionally or by --lessons), else the whole catalog: the
    built-in curriculum and the operator's packs (TUTOR_LESSONS, installed packages)."""
    from tutor.engine.packs import PackSource, build_catalog, operator_packs
    from tutor.grader.grade import Grader
    from tutor.grader.validate import validate_all
    from tutor.grader.warm_imports import for_exercises

    named = [PackSource(Path(p), "--lessons") for p in [*packs, *lessons]]
    catalog = (build_catalog(named, include_builtin=False) if named else build_catalog(operator_packs())).catalog
    exercises = catalog.resolve(targets) if targets else catalog.exercises
    console = Console()

    def show(f) -> None:
        console.print("[green]ok  [/]" if f.ok else "[bold red]FAIL[/]",
                      escape(f"{f.exercise} {f.file} -> {f.got}" + ("" if f.ok else f" (expected {f.expected})")),
                      highlight=False)

    preload = for_exercises(exercises)
    findings = validate_all(exercises, lambda: Grader(cache_dir=None, preload=preload), jobs=jobs, on_finding=show)
    bad = sum(not f.ok for f in findings)
    console.print(f"{len(exercises)} exercise(s) validated, {bad} problem(s)")
    return 1 if bad else 0


def run_preview(exercise_id: str, packs: list[Path]) -> None:
    """An exercise as a learner sees it, plus what only an author sees: check titles and diagnoses."""
    from rich.markdown import Markdown

    from tutor.engine.commands import one_exercise, workspace_catalog
    from tutor.grader.reference import load_checks

    ex = one_exercise(workspace_catalog(None, packs), exercise_id)
    checks = load_checks(ex)
    console = Console()
    console.rule(escape(f"{ex.id}: {ex.title}"))
    console.print(Markdown(ex.lesson))
    console.rule("starter")
    # Code and lesson text print as written: `valid_len[b]` is an index, not Rich's bold tag.
    console.print(ex.starter, markup=False, highlight=False)
    console.rule("hints")
    for i, text in enumerate(ex.hints, 1):
        console.print(f"{i}. {text}", markup=False)
    console.rule("checks")
    for c in checks:
        console.print(f"- [{c.kind}] {c.id}: {c.name}", markup=False)
    console.rule("diagnoses")
    for key, text in ex.diagnoses.items():
        console.print(f"- {key}: {text}", markup=False)
