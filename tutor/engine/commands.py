"""Workspace commands that need no grading: init, list, hint, reset, preview."""

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
    attempt = latest.get(ex.id)
    if attempt is None or ws.is_untouched(ex):
        return "not_started" if attempt is None or attempt.verdict == "not_started" else attempt.verdict
    return attempt.verdict


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
    where = f"; your previous file is saved at {backup.relative_to(ws.root)}" if backup else ""
    return f"{ex.workspace_path} is back to its starter{where}"
