"""One exercise: lesson, editor on the workspace file, results, live loss plot, hints."""

from __future__ import annotations

import os
import shlex
import subprocess
import threading
import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from tutor.tui.messages import (
    CheckFinished,
    CheckStarted,
    ExerciseGraded,
    GradingFailed,
    GradingStarted,
    LearnerFileChanged,
    PointsUpdated,
)
from tutor.tui.screens.confirm import ConfirmScreen
from tutor.tui.widgets.editor import CodeEditor, read_text
from tutor.tui.widgets.lesson import LessonView

NARROW = 110  # below this many columns, the lesson and the editor take turns
POINT_INTERVAL_S = 0.05


def has_training_check(ex) -> bool:
    """Whether the exercise streams points to plot: declared in its exercise.toml."""
    return ex.capabilities.streams_curve


class _PointStream:
    """Collects streamed points and posts throttled snapshots.

    Called from two grading threads at once (the learner's child reader and the reference
    runner), hence the lock.
    """

    def __init__(self, screen, exercise: str):
        self.screen, self.exercise = screen, exercise
        self.series: dict = {}
        self.last_post = 0.0
        self.pending = False
        self.lock = threading.Lock()

    def add(self, payload: dict) -> None:
        key = (int(payload.get("index", 0)), str(payload.get("role", "learner")), str(payload.get("series", "loss")))
        with self.lock:
            self.series.setdefault(key, []).append((float(payload["step"]), float(payload["value"])))
            self.pending = True
            due = time.monotonic() - self.last_post >= POINT_INTERVAL_S
        if due:
            self.flush()

    def flush(self) -> None:
        with self.lock:
            if not self.pending:
                return
            snapshot = {k: list(v) for k, v in self.series.items()}
            self.last_post, self.pending = time.monotonic(), False
            # posted under the lock, so snapshots reach the queue oldest first
            self.screen.post_message(PointsUpdated(self.exercise, snapshot))


class ExerciseScreen(Screen[None]):
    AUTO_FOCUS = "#editor"
    BINDINGS = [
        Binding("ctrl+s", "save", "save"),
        Binding("ctrl+r", "check", "check"),
        Binding("ctrl+g", "hint", "hint"),
        Binding("ctrl+o", "external_editor", "$EDITOR"),
        Binding("ctrl+b", "reference", "reference"),
        Binding("ctrl+l", "toggle_lesson", "lesson"),
        Binding("f2", "tab('results')", "results", show=False),
        Binding("f3", "tab('loss')", "loss", show=False),
        Binding("f4", "tab('hints')", "hints", show=False),
        Binding("f8", "reset", "reset"),
        Binding("f1", "app.help", "help"),
        Binding("escape", "back", "back", priority=True),
    ]

    def __init__(self, exercise, *, poll_interval: float = 0.5) -> None:
        super().__init__()
        self.exercise = exercise
        self.path = None
        self.poll_interval = poll_interval
        self.training = has_training_check(exercise)
        self.grading = False
        self.last_result = None
        self._disk_stamp: tuple[int, int] | None = None

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        from tutor.tui.widgets.results import ResultsView

        ex = self.exercise
        self.path = self.app.workspace.learner_file(ex)
        yield Header()
        with Horizontal(id="exercise-main"):
            yield LessonView(ex, id="lesson")
            with Vertical(id="work"):
                yield Static(id="file-bar")
                yield CodeEditor(self.path, id="editor")
                with TabbedContent(id="bottom", initial="results"):
                    with TabPane("Results", id="results"):
                        yield ResultsView(str(self.path.resolve()), ex.workspace_path, id="results-view")
                    if self.training:
                        with TabPane("Loss curve", id="loss"):
                            from tutor.tui.widgets.loss_plot import LossPlot

                            yield LossPlot(id="loss-plot")
                    with TabPane("Hints", id="hints"), VerticalScroll():
                        yield Static(id="hints-text")
        yield Footer()

    def on_mount(self) -> None:
        ex = self.exercise
        self.title = f"{ex.id} — {ex.title}"
        self.sub_title = self.app.workspace.root.name
        self._disk_stamp = self._stamp()
        self.last_result = self.app.last_results.get(ex.id)
        self._update_file_bar()
        self._show_hints()
        self._apply_width(self.app.size.width)
        self.query_one(CodeEditor).focus()
        self.set_interval(self.poll_interval, self._poll_file, name="watch-learner-file")
        if self.last_result is not None:
            self.query_one("#results-view").show(self.last_result)

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < NARROW, "narrow")

    def _update_file_bar(self, note: str = "") -> None:
        editor = self.query_one(CodeEditor)
        state = "● unsaved" if editor.dirty else "saved"
        text = Text.assemble((self.exercise.workspace_path, "bold"), f"  {state}")
        if self.grading:
            text.append("  · checking…", style="yellow")
        elif self.last_result is not None:
            from tutor.tui.widgets.results import verdict_text

            checks = self.last_result.checks
            passed = sum(str(c.verdict) == "pass" for c in checks)
            text.append("  · last check: ")
            text.append_text(verdict_text(str(self.last_result.verdict)))
            text.append(f" {passed}/{len(checks)}")
        else:
            status = self.app.statuses().get(self.exercise.id, "not started")
            style = {"passing": "green", "failing": "red"}.get(status, "dim")
            text.append(f"  · {status}", style=style)
        if note:
            text.append(f"  · {note}", style="dim")
        self.query_one("#file-bar", Static).update(text)

    @on(CodeEditor.Changed)
    def _edited(self) -> None:
        self._update_file_bar()

    # -- actions --------------------------------------------------------------------------
    def action_back(self) -> None:
        editor = self.query_one(CodeEditor)
        if editor.dirty:
            editor.save()
            self.app.notify(f"saved {self.exercise.workspace_path}")
        self.app.pop_screen()

    def action_save(self) -> None:
        editor = self.query_one(CodeEditor)
        changed = editor.save()
        self._disk_stamp = self._stamp()
        self._update_file_bar("saved")
        if changed:
            self.start_grading("save")

    def action_check(self) -> None:
        editor = self.query_one(CodeEditor)
        if editor.dirty:
            editor.save()
            self._disk_stamp = self._stamp()
        self.start_grading("check")

    def action_tab(self, tab: str) -> None:
        tabs = self.query_one("#bottom", TabbedContent)
        if tabs.query(f"#{tab}"):
            tabs.active = tab

    def action_toggle_lesson(self) -> None:
        self.toggle_class("lesson-hidden" if not self.has_class("narrow") else "lesson-shown")

    def action_hint(self) -> None:
        ex = self.exercise
        store = self.app.store
        if store.hint_level(ex.id) >= len(ex.hints):
            self.app.notify("That was the last hint: the lesson's task section and the results have the rest.")
        else:
            level = store.take_hint(ex.id, len(ex.hints))
            self.app.notify(f"hint {level}/{len(ex.hints)} revealed (hints taken are counted)")
        self._show_hints()
        self.action_tab("hints")

    def _show_hints(self) -> None:
        ex = self.exercise
        level = self.app.store.hint_level(ex.id)
        out = Text()
        if level == 0:
            out.append(f"{len(ex.hints)} hints, each one step further. Press ctrl+g for the first.\n", style="dim")
        for i, hint in enumerate(ex.hints[:level], 1):
            out.append(f"Hint {i}/{len(ex.hints)}\n", style="bold")
            out.append(hint + "\n\n")
        if 0 < level < len(ex.hints):
            out.append(f"ctrl+g: hint {level + 1}/{len(ex.hints)}", style="dim")
        self.query_one("#hints-text", Static).update(out)

    def action_reset(self) -> None:
        ex = self.exercise

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            backup = self.app.workspace.reset(ex)
            self.query_one(CodeEditor).reload()
            self._disk_stamp = self._stamp()
            self._update_file_bar("reset to the starter")
            where = f"; your old file is in {backup.relative_to(self.app.workspace.root)}" if backup else ""
            self.app.notify(f"{ex.workspace_path} is back to its starter{where}")

        self.app.push_screen(ConfirmScreen(f"Reset {ex.workspace_path} to its starter?\n"
                                           "Your current file is kept in .tutor/backups.", yes="Reset"), answer)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "reference":
            return True if self.app.has_passed(self.exercise.id) else None  # None: shown greyed out
        return True

    def action_reference(self) -> None:
        if not self.app.has_passed(self.exercise.id):
            self.app.notify("The reference opens once your solution passes.", severity="warning")
            return
        from tutor.tui.screens.reference import ReferenceScreen

        self.app.push_screen(ReferenceScreen(self.exercise, self.path))

    def action_external_editor(self) -> None:
        editor = self.query_one(CodeEditor)
        if editor.dirty:
            editor.save()
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        try:
            with self.app.suspend():
                subprocess.call([*shlex.split(command), str(self.path)])
        except Exception as exc:  # noqa: BLE001 - SuspendNotSupported (headless), or no such editor
            self.app.notify(f"could not open $EDITOR ({command}): {exc}", severity="error")
            return
        self._poll_file()

    # -- file watching --------------------------------------------------------------------
    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def _poll_file(self) -> None:
        stamp = self._stamp()
        if stamp == self._disk_stamp:
            return
        self._disk_stamp = stamp
        text = read_text(self.path)
        if text == self.query_one(CodeEditor).saved_text:
            return
        self.post_message(LearnerFileChanged(self.exercise.id, text))

    def on_learner_file_changed(self, message: LearnerFileChanged) -> None:
        editor = self.query_one(CodeEditor)
        if editor.dirty:
            editor.saved_text = message.text
            self.app.notify("Your file changed on disk while you had unsaved edits here: ctrl+s keeps yours.",
                            severity="warning")
            self._update_file_bar("changed on disk")
            return
        editor.reload(message.text)
        self._update_file_bar("reloaded from disk")
        self.start_grading("file changed")

    # -- grading --------------------------------------------------------------------------
    def start_grading(self, reason: str) -> None:
        self.grading = True
        self._update_file_bar()
        self.query_one("#results-view").start()
        if self.training:
            self.query_one("#loss-plot").clear()
        self.action_tab("results")
        self.grade(reason)

    @work(thread=True, exclusive=True, exit_on_error=False, group="grader")
    def grade(self, reason: str) -> None:
        worker = get_current_worker()
        ex = self.exercise
        self.post_message(GradingStarted(ex.id, reason))
        stream = _PointStream(self, ex.id)

        def on_event(kind: str, payload: dict) -> None:
            if worker.is_cancelled:
                return
            if kind == "check_started":
                self.post_message(CheckStarted(ex.id, int(payload.get("index", 0))))
            elif kind == "point":
                stream.add(payload)
            elif kind == "check_finished":
                stream.flush()
                self.post_message(CheckFinished(ex.id, int(payload["index"]), payload["result"]))

        try:
            session = self.app.session()
            with self.app.grading_lock:
                if worker.is_cancelled:
                    return
                report = session.check([ex], on_event=on_event)
            stream.flush()
            if not worker.is_cancelled:
                self.post_message(ExerciseGraded(ex.id, report.results[0]))
        except Exception as exc:  # noqa: BLE001 - shown to the learner, the app keeps running
            self.post_message(GradingFailed(ex.id, f"{type(exc).__name__}: {exc}"))

    def on_check_started(self, message: CheckStarted) -> None:
        self.query_one("#results-view").check_started(message.index)

    def on_points_updated(self, message: PointsUpdated) -> None:
        if not self.training:
            return
        plot = self.query_one("#loss-plot")
        first = not plot.series
        plot.update_series(message.series)
        if first:
            self.action_tab("loss")

    def on_check_finished(self, message: CheckFinished) -> None:
        result = message.result
        if self.training and result.series:
            plot = self.query_one("#loss-plot")
            plot.check_names[message.index] = result.name
            snapshot = {}
            for role, by_name in result.series.items():
                for name, points in (by_name or {}).items():
                    snapshot[(message.index, role, name)] = [tuple(p) for p in points]
            plot.update_series(snapshot)

    def on_exercise_graded(self, message: ExerciseGraded) -> None:
        self.grading = False
        result = message.result
        self.last_result = result
        self.app.last_results[self.exercise.id] = result
        self.app.invalidate_status()
        self.query_one("#results-view").show(result)
        self._update_file_bar()
        verdict = str(result.verdict)
        if verdict == "pass":
            self.app.notify("All checks pass. ctrl+b: compare with the reference solution.", title="passing")
            self.refresh_bindings()
        if self.training and verdict != "pass" and self.query_one("#loss-plot").series:
            pass  # keep the loss tab if it is showing: the curve is the story
        elif verdict != "pass" or not self.training:
            self.action_tab("results")

    def on_grading_failed(self, message: GradingFailed) -> None:
        self.grading = False
        self.query_one("#results-view").failed(message.error)
        self._update_file_bar()
        self.app.notify(message.error[:300], title="the grader could not run", severity="error")
