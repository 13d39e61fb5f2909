"""`tutor grade`: a class's workspaces in, a gradebook out (CSV, JSON, a table, feedback files).

Only the instructor's catalog grades (built-in, --lessons, TUTOR_LESSONS, installed packs): a
student's tutor.toml may list lesson packs, but a pack carries the reference the student
would be judged by, so those are ignored, and the command says so.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tutor import __version__
from tutor.engine.errors import TargetError
from tutor.grader.batch import StudentResult

FORMATS = ("csv", "json")


def _total(student: StudentResult) -> float:
    return round(sum(r.score for r in student.report.results), 4)


def _safe_cell(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; student-named text never does."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def gradebook_rows(students: list[StudentResult], targets: list[str]) -> tuple[list[str], list[list]]:
    header = ["student"]
    for ex in targets:
        header += [f"{ex}:verdict", f"{ex}:score"]
    header += ["passed", "total", "max_total", "problems"]
    rows = []
    for s in students:
        by_id = {r.exercise: r for r in s.report.results}
        row: list = [_safe_cell(s.name)]
        for ex in targets:
            r = by_id.get(ex)
            row += [str(r.verdict), r.score] if r else ["", ""]
        row += [s.report.passed, _total(s), len(targets), _safe_cell("; ".join(s.problems))]
        rows.append(row)
    return header, rows


def render_csv(students: list[StudentResult], targets: list[str]) -> str:
    header, rows = gradebook_rows(students, targets)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def render_json(students: list[StudentResult], targets: list[str], meta: dict | None = None) -> str:
    return json.dumps({
        "tutor_version": __version__,
        **(meta or {}),
        "targets": targets,
        "students": [{
            "student": s.name,
            "workspace": str(s.folder),
            "problems": s.problems,
            "cached": s.cached,
            "passed": s.report.passed,
            "total": _total(s),
            "max_total": len(targets),
            "results": [r.to_record(series=False) for r in s.report.results],
        } for s in students],
        "summary": {
            "students": len(students),
            "all_passed": sum(s.report.passed == len(targets) for s in students),
            "with_problems": sum(bool(s.problems) for s in students),
            "mean_total": round(sum(_total(s) for s in students) / len(students), 4) if students else 0.0,
        },
    }, indent=2)


def render_table(students: list[StudentResult], targets: list[str]) -> Table:
    table = Table(title="gradebook", title_justify="left", header_style="bold")
    table.add_column("student", overflow="fold")
    for ex in targets:
        table.add_column(ex.split("/")[-1], justify="left", no_wrap=True)
    table.add_column("total", justify="right")
    table.add_column("problems", overflow="fold")
    for s in students:
        by_id = {r.exercise: r for r in s.report.results}
        cells = []
        for ex in targets:
            r = by_id.get(ex)
            cells.append(Text(f"{r.verdict.icon} {r.score:.2f}", style=r.verdict.colour) if r else Text(""))
        problems = "; ".join(s.problems)
        table.add_row(s.name, *cells, f"{_total(s):.2f}/{len(targets)}",
                      problems if len(problems) <= 90 else problems[:89] + "…")
    return table


@contextmanager
def progress_bar(total: int, enabled: bool):
    """A rich progress bar on stderr when it is a terminal; nothing in CI logs."""
    if not enabled:
        yield lambda result: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TextColumn("students"),
                        TimeElapsedColumn(), TextColumn("{task.description}"),
                        console=Console(file=sys.stderr), transient=True)
    task = progress.add_task("", total=total)
    with progress:
        yield lambda result: progress.update(task, advance=1, description=result.name)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def run_gradebook(root: Path, targets: list[str], *, lessons: list[Path] = (), jobs: int = 0,
                  shard: str | None = None, fmt: str | None = None, output: Path | None = None,
                  feedback: Path | None = None, force: bool = False, pool_factory=None,
                  progress: bool | None = None) -> int:
    from tutor.engine.packs import catalog_version, ci_mode, resolve
    from tutor.grader.batch import ClassGrader, find_submissions, parse_shard, select_shard
    from tutor.grader.gradecache import GradeCache

    if fmt is not None and fmt not in FORMATS:
        raise TargetError(f"--format {fmt!r}: tutor grade writes csv or json")
    shard_spec = parse_shard(shard) if shard else None
    choice = resolve(None, lessons, batch=True)
    try:
        exercises = choice.catalog.resolve(targets) if targets else choice.catalog.exercises
    except TargetError as exc:
        raise TargetError(f"{exc}; an exercise of your own lesson pack? name the pack with --lessons DIR") from None
    if not exercises:
        raise TargetError("nothing to grade: the catalog has no exercises")
    ids = [ex.id for ex in exercises]
    everyone = find_submissions(root, exclude=[p for p in (feedback,) if p is not None])
    students = select_shard(everyone, shard_spec)
    version = catalog_version(exercises)
    cache = GradeCache()
    grader = ClassGrader(exercises, choice.roots, version, submissions_root=root, jobs=jobs, cache=cache,
                         force=force, pool_factory=pool_factory)
    started = time.perf_counter()
    show = sys.stderr.isatty() and not ci_mode() if progress is None else progress
    with progress_bar(len(students), show) as advance:
        results = grader.grade(students, on_result=advance)
    elapsed = time.perf_counter() - started
    if grader.lists_packs:
        print(f"tutor: ignoring the lesson packs listed in the tutor.toml of {grader.lists_packs} student(s): "
              "tutor grade uses the instructor's catalog only (built-in, --lessons, TUTOR_LESSONS, installed packs)",
              file=sys.stderr)
    if cache.rejected:
        print(f"tutor: {cache.rejected} cached grading(s) did not verify (not written by this grader) "
              "and were graded again", file=sys.stderr)

    meta = {"catalog_version": version, "shard": shard}
    fmt_out = fmt or ("json" if output is not None and output.suffix.lower() == ".json" else "csv")
    text = render_json(results, ids, meta) if fmt_out == "json" else render_csv(results, ids)
    if output is None and fmt is not None:
        sys.stdout.write(text)  # the data itself, to pipe on
    else:
        Console(file=sys.stdout, width=max(100, 24 + 12 * len(ids) + 40), highlight=False).print(render_table(results, ids))
        if output is not None:
            _write(output, text)
            print(f"gradebook written to {output}")
    if feedback is not None:
        from tutor.grader.feedback import write_feedback

        diagnoses = {ex.id: dict(ex.diagnoses) for ex in exercises}
        write_feedback(feedback, results, diagnoses)
        if output is not None or fmt is None:
            print(f"feedback for {len(results)} student(s) written to {feedback}")
    cached = sum(r.cached for r in results)
    if output is not None or fmt is None:
        skipped = f", {cached} unchanged since the last grading (skipped; --force grades them again)" if cached else ""
        part = f" (shard {shard} of {len(everyone)})" if shard else ""
        print(f"{len(results)} student(s){part}: {len(results) - cached} graded{skipped}; {elapsed:.1f} s")
    return 0 if all(r.report.exit_code == 0 for r in results) else 1
