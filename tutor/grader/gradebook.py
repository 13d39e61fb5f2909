"""`tutor grade`: batch-grade a class, one workspace per student, into a gradebook.

Only the instructor's catalog is trusted: a student's tutor.toml may list lesson packs, but
those are ignored here, since a pack carries the reference the student would be judged by.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from tutor.engine.catalog import load_catalog
from tutor.engine.errors import WorkspaceError
from tutor.engine.workspace import CONFIG_NAME, Workspace
from tutor.grader.results import Report


def find_submissions(root: Path) -> list[Path]:
    """Workspaces directly under root (or root/<student>/<repo>), sorted by name."""
    root = Path(root)
    if not root.is_dir():
        raise WorkspaceError(f"{root}: submissions folder not found")
    found = []
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        if (sub / CONFIG_NAME).is_file():
            found.append(sub)
        else:
            found.extend(sorted(p for p in sub.iterdir() if p.is_dir() and (p / CONFIG_NAME).is_file()))
    if not found:
        raise WorkspaceError(f"{root}: no workspaces (folders holding {CONFIG_NAME}) found")
    return found


def grade_class(root: Path, targets: list[str], packs: list[Path] = ()) -> dict[str, Report]:
    from tutor.engine.runner import WorkerPool
    from tutor.grader.session import Session

    catalog = load_catalog(list(packs))
    exercises = catalog.resolve(targets) if targets else catalog.exercises
    submissions = find_submissions(root)
    pool = WorkerPool()
    reports: dict[str, Report] = {}
    # One fresh cache for the class: never a student's, computed once for everyone.
    with tempfile.TemporaryDirectory(prefix="tutor-gradebook-") as cache:
        try:
            for folder in submissions:
                session = Session.open(Workspace(folder.resolve()), pool=pool, catalog=catalog, cache_dir=Path(cache))
                reports[str(folder.relative_to(root))] = session.check(exercises, record=False)
        finally:
            pool.close()
    return reports


def gradebook_rows(reports: dict[str, Report]) -> tuple[list[str], list[list]]:
    exercises: list[str] = []
    for report in reports.values():
        for r in report.results:
            if r.exercise not in exercises:
                exercises.append(r.exercise)
    header = ["student", *exercises, "passed", "score"]
    rows = []
    for student, report in reports.items():
        by_id = {r.exercise: r for r in report.results}
        rows.append([student, *[by_id[e].score if e in by_id else "" for e in exercises], report.passed, report.score])
    return header, rows


def render_csv(reports: dict[str, Report]) -> str:
    header, rows = gradebook_rows(reports)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def render_json(reports: dict[str, Report]) -> str:
    return json.dumps({student: report.to_json() for student, report in reports.items()}, indent=2)


def run_gradebook(root: Path, targets: list[str], output: Path | None, packs: list[Path] = ()) -> int:
    reports = grade_class(root, targets, packs)
    header, rows = gradebook_rows(reports)
    table = Table(title=f"gradebook: {root}", title_justify="left")
    for name in header:
        table.add_column(name, justify="left" if name == "student" else "right")
    for row in rows:
        table.add_row(*[f"{v:.2f}" if isinstance(v, float) else str(v) for v in row])
    Console(file=sys.stdout, width=max(100, 12 * len(header))).print(table)
    if output is not None:
        text = render_json(reports) if output.suffix == ".json" else render_csv(reports)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        print(f"gradebook written to {output}")
    return 0 if all(r.exit_code == 0 for r in reports.values()) else 1
