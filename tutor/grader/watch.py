"""`tutor watch`: re-grade on every save and show the first exercise that does not pass yet.

Rustlings-style: the exercises of the target are taken in order; the first one not passing
is graded and shown with its diagnosis; each save re-grades it, and once it passes the watch
moves on to the next one. Grading goes through the warm session (a worker with torch already
imported waits for each save), so a re-check answers in a fraction of a second.

One loop, one thread: the file watcher (watchfiles, debounced) only yields batches of
changes; saves that arrive while a check runs are buffered by the watcher and come back as
one batch, so they cost one re-check, not one each. Learner output is captured by the
sandbox and truncated, so a program that prints without end cannot flood or freeze this.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rich.console import Console, Group
from rich.text import Text

from tutor.engine.catalog import Catalog, Exercise, load_catalog
from tutor.engine.verdicts import Verdict
from tutor.engine.workspace import Workspace

DEBOUNCE_MS = 200


@dataclass
class WatchState:
    """What the watch shows after a round of grading."""

    exercises: list[Exercise]
    verdicts: dict[str, str] = field(default_factory=dict)
    current: Exercise | None = None
    result: object = None  # the current exercise's ExerciseResult
    passed_now: list[str] = field(default_factory=list)  # turned to pass in the last round

    @property
    def passed(self) -> int:
        return sum(self.verdicts.get(ex.id) == "pass" for ex in self.exercises)

    @property
    def done(self) -> bool:
        return self.passed == len(self.exercises)


def run_watch(workspace: Workspace, target: str | None, *, catalog: Catalog | None = None,
              console: Console | None = None, stop: threading.Event | None = None,
              on_round: Callable[[WatchState], None] | None = None, debounce_ms: int = DEBOUNCE_MS) -> int:
    """Watch until every exercise passes (exit 0), or until interrupted or `stop` is set."""
    from tutor.grader.session import Session

    console = console or Console(highlight=False)
    catalog = catalog or load_catalog(workspace.packs)
    exercises = catalog.resolve([target]) if target else catalog.exercises
    state = WatchState(exercises)
    stop = stop or threading.Event()
    watcher = _Watcher(workspace, exercises)  # before the first grading: no save is missed
    from tutor.kernels.precompile import preload, start_background

    start_background()  # kernels not compiled yet (a new numba, a wiped cache): compile them now, aside
    threading.Thread(target=preload, name="tutor-kernels", daemon=True).start()  # and load them here
    session = Session.open_warm(workspace, catalog=catalog, warm=exercises)
    try:
        _advance(session, state, start=0)
        while True:
            _show(console, workspace, state)
            if on_round:
                on_round(state)
            if state.done:
                return 0
            if watcher.next(stop, debounce_ms) is None:
                return 1
            # Re-grade the exercise on screen; other files' saves are picked up when we get there.
            _advance(session, state, start=exercises.index(state.current))
    except KeyboardInterrupt:
        console.print("\n[dim]stopped watching[/]")
        return 0 if state.done else 1
    finally:
        watcher.close()
        session.close()


def _advance(session, state: WatchState, start: int) -> None:
    """Grade from `start` on, stopping at the first exercise that does not pass."""
    state.passed_now = []
    for ex in state.exercises[start:]:
        report = session.check([ex])
        result = report.results[0]
        before = state.verdicts.get(ex.id)
        state.verdicts[ex.id] = str(result.verdict)
        if before is not None and before != "pass" and state.verdicts[ex.id] == "pass":
            state.passed_now.append(ex.id)
        state.current, state.result = ex, result
        if str(result.verdict) != "pass":
            return
    state.current = None


class _Watcher:
    """Watches the exercises' folders from construction on; changes made while we grade wait
    in the watcher and come back as one batch from the next `next()`."""

    def __init__(self, workspace: Workspace, exercises: list[Exercise]):
        from watchfiles._rust_notify import RustNotify

        self.wanted = {str(workspace.learner_file(ex).resolve()) for ex in exercises}
        folders = sorted({str(Path(p).parent) for p in self.wanted if Path(p).parent.is_dir()}) or [str(workspace.root)]
        # (paths, debug, force_polling, poll_delay_ms, recursive, ignore_permission_denied)
        self.notify = RustNotify(folders, False, False, 300, True, False)

    def next(self, stop: threading.Event, debounce_ms: int) -> set[str] | None:
        """The learner files saved since the last call (after `debounce_ms` of quiet); None when stopped."""
        while not stop.is_set():
            raw = self.notify.watch(debounce_ms, 50, 500, stop)
            if raw == "signal":
                raise KeyboardInterrupt
            if raw == "stop":
                return None
            if raw == "timeout":
                continue
            changed = {p for _, p in raw if str(Path(p).resolve()) in self.wanted}
            if changed:
                return changed
        return None

    def close(self) -> None:
        self.notify.close()


def _show(console: Console, workspace: Workspace, state: WatchState) -> None:
    from tutor.grader.reports.text import exercise_renderable

    if console.is_terminal:
        console.clear()
    progress = Text.assemble(("tutor watch  ", "bold"),
                             f"{state.passed}/{len(state.exercises)} exercises passing")
    look = Verdict.PASS.look
    passes = [Text(f"{look.icon} {ex_id} passes", style=f"bold {look.colour}") for ex_id in state.passed_now]
    if state.current is None:
        console.print(Group(progress, *passes, Text("Every exercise passes. Well done!", style="bold green")))
        return
    if passes:
        passes.append(Text.assemble(("next: ", "dim"), (f"{state.current.id} — {state.current.title}", "bold")))
    # The report shows (a trimmed start of) what the program printed when it does not pass.
    parts = [progress, *passes, exercise_renderable(state.result)]
    path = workspace.learner_file(state.current)
    try:
        shown_path = path.relative_to(Path.cwd())
    except ValueError:
        shown_path = path
    parts.append(Text.assemble(("edit ", "dim"), (str(shown_path), "bold"),
                               ("  ·  save to re-check  ·  ", "dim"), (f"tutor hint {state.current.id}", "bold"),
                               ("  ·  ctrl-c to quit", "dim")))
    console.print(Group(*parts))
