"""Workspace commands that need no grading: init, list, next, hint, reset, solution, preview."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from tutor.engine.errors import TargetError
from tutor.engine.progress import ProgressStore
from tutor.engine.verdicts import STATUS_LOOKS, status_of
from tutor.engine.workspace import Workspace, init_workspace



def _render(*renderables) -> str:
    console = Console(width=110, record=True, force_terminal=False)
    with console.capture() as cap:
        for r in renderables:
            console.print(r)
    return cap.get().rstrip()


def workspace_catalog(ws: Workspace | None, lessons: list[Path] = (), strict: bool = False):
    """The catalog of a command run in `ws` (engine.packs decides which packs count)."""
    from tutor.engine.packs import resolve

    return resolve(ws, lessons, strict=strict).catalog


def init(directory: Path, packs: list[Path], lessons: list[Path] = ()) -> str:
    """`packs` are recorded in the new workspace's tutor.toml; `lessons` (operator packs) are not."""
    from tutor.engine.packs import PackSource, build_catalog, operator_packs

    catalog = build_catalog(operator_packs(lessons) + [PackSource(Path(p), "--pack") for p in packs]).catalog
    ws, written = init_workspace(directory, catalog)
    if packs:
        _add_packs(ws, packs)
    kept = len(catalog.exercises) - len(written)
    lines = [f"workspace ready at {ws.root}", f"  {len(written)} starter file(s) written" + (f", {kept} existing file(s) left as they were" if kept else "")]
    lines.append("next: `tutor start` for the tutor, or edit chapter4/softmax.py and run `tutor check chapter4/softmax`")
    return "\n".join(lines)


def _add_packs(ws: Workspace, packs: list[Path]) -> None:
    """List packs in tutor.toml (kept as the learner wrote it: comments, order), relative to the
    workspace where they lie inside or beside it, so the folder can move as a whole."""
    import os

    import tomlkit

    config = ws.root / "tutor.toml"
    doc = tomlkit.parse(config.read_text(encoding="utf-8"))
    section = doc.setdefault("workspace", tomlkit.table())
    current = section.get("packs")
    if current is None:
        current = tomlkit.array()
        section["packs"] = current
    have = {str((ws.root / p).resolve()) for p in current}
    for pack in packs:
        absolute = Path(pack).expanduser().resolve()
        if str(absolute) in have:
            continue
        have.add(str(absolute))
        current.append(os.path.relpath(absolute, ws.root))
    config.write_text(tomlkit.dumps(doc), encoding="utf-8")


def exercise_status(ws: Workspace, latest: dict, ex) -> str:
    """How the exercise stands now: its last check (since any reset); a file that is the starter
    again is not started, whatever an earlier check said."""
    attempt = latest.get(ex.id)
    if attempt is None or ws.is_untouched(ex):
        return "not_started"
    return attempt.verdict


def next_exercise(exercises: list, status, after: str | None = None):
    """The first exercise not passing, in course order; with `after`, the first one following
    that exercise (wrapping around). `status(ex)` gives an exercise's verdict. None: all pass."""
    ids = [ex.id for ex in exercises]
    start = ids.index(after) + 1 if after in ids else 0
    for ex in exercises[start:] + exercises[:start]:
        if ex.id != after and status(ex) != "pass":
            return ex
    return None


def next_text(ws: Workspace, path_only: bool = False, catalog=None) -> str:
    """`tutor next`: the next exercise not passing yet, and its file."""
    catalog = catalog or workspace_catalog(ws)
    latest = ProgressStore(ws.progress_db).latest()
    ex = next_exercise(catalog.exercises, lambda e: exercise_status(ws, latest, e))
    if ex is None:
        return "" if path_only else f"every exercise passes ({len(catalog.exercises)}/{len(catalog.exercises)}): well done!"
    path = ws.learner_file(ex)
    here = Path.cwd()
    try:  # as the learner would type it from here (a full path from elsewhere, or from /)
        shown = path.relative_to(here) if here != Path(here.anchor) else path
    except ValueError:
        shown = path
    if path_only:
        return str(shown)
    status = status_of(exercise_status(ws, latest, ex))
    return "\n".join([f"next: {ex.id} — {ex.title} ({status})",
                      f"  file: {shown}",
                      f"  then: tutor check {ex.id}   ·   tutor start {ex.id}   ·   tutor hint {ex.id}"])


def solution(ws: Workspace, exercise_id: str, catalog=None) -> tuple[bool, str]:
    """`tutor solution`: the reference, once the exercise has passed here. (False, why) before."""
    ex = one_exercise(catalog or workspace_catalog(ws), exercise_id)
    if not any(a.verdict == "pass" for a in ProgressStore(ws.progress_db).attempts(ex.id)):
        return False, (f"{ex.id} has not passed yet; its reference opens once it does "
                       f"(`tutor check {ex.id}`, or `tutor hint {ex.id}` for a hint)")
    import textwrap

    note = ex.compare_note or "Compare the two: where do they differ, and why does each work?"
    head = [f"# {ex.id} — {ex.title}: the reference solution (yours is {ex.workspace_path})"]
    head += textwrap.wrap(f"What to compare: {note}", 86, initial_indent="# ", subsequent_indent="# ")
    return True, "\n".join(head) + "\n\n" + ex.reference_path.read_text(encoding="utf-8").rstrip() + "\n"


def list_exercises(ws: Workspace, fmt: str, catalog=None) -> str:
    catalog = catalog or workspace_catalog(ws)
    latest = ProgressStore(ws.progress_db).latest()
    if fmt == "json":
        return json.dumps({"workspace": str(ws.root), "chapters": [
            {"id": ch.id, "title": ch.title, "exercises": [
                {"id": ex.id, "title": ex.title, "status": exercise_status(ws, latest, ex),
                 "file": ex.workspace_path} for ex in ch.exercises]}
            for ch in catalog.chapters]}, indent=2)
    table = Table(show_header=True, header_style="bold", title=f"tutor workspace {ws.root}", title_justify="left")
    table.add_column("exercise")
    table.add_column("title")
    table.add_column("status")
    for ch in catalog.chapters:
        done = sum(exercise_status(ws, latest, ex) == "pass" for ex in ch.exercises)
        table.add_row(f"[bold]{ch.id}[/]", f"[bold]{ch.title}[/]", f"{done}/{len(ch.exercises)} passing")
        for ex in ch.exercises:
            status = status_of(exercise_status(ws, latest, ex))
            look = STATUS_LOOKS[status]
            table.add_row(f"  {ex.id}", ex.title, f"[{look.colour}]{look.icon} {status}[/]")
    return _render(table)


def one_exercise(catalog, exercise_id: str):
    """Commands about a single exercise refuse a target naming a whole chapter."""
    exercises = catalog.resolve([exercise_id])
    if len(exercises) != 1:
        raise TargetError(f"{exercise_id!r} names {len(exercises)} exercises; name one, e.g. {exercises[0].id}")
    return exercises[0]


def hint(ws: Workspace, exercise_id: str, catalog=None) -> str:
    catalog = catalog or workspace_catalog(ws)
    ex = one_exercise(catalog, exercise_id)
    store = ProgressStore(ws.progress_db)
    level = store.take_hint(ex.id, len(ex.hints))
    more = "" if level < len(ex.hints) else " (this was the last hint)"
    return f"hint {level}/{len(ex.hints)} for {ex.id}{more}:\n{ex.hints[level - 1]}"


def reset(ws: Workspace, exercise_id: str, catalog=None) -> str:
    ex = one_exercise(catalog or workspace_catalog(ws), exercise_id)
    backup = ws.reset(ex)
    ProgressStore(ws.progress_db).record_reset(ex.id)
    where = f"; your previous file is saved at {backup.relative_to(ws.root)}" if backup else ""
    return f"{ex.workspace_path} is back to its starter{where}"
