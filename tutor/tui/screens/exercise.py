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

from tutor.engine.verdicts import STATUS_LOOKS, legend
from tutor.tui.messages import (
    CheckFinished,
    CheckStarted,
    ExerciseGraded,
    GradingFailed,
    GradingStarted,
    KernelsProgress,
    LearnerFileChanged,
    PointsUpdated,
)
from tutor.tui.screens.confirm import ConfirmScreen
from tutor.tui.widgets.editor import CodeEditor, read_text
from tutor.tui.widgets.lesson import LessonView

NARROW = 110  # below this many columns, the lesson and the editor take turns
CHANGED_ON_DISK = "changed on disk"
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


HELP = f"""\
## Working on an exercise

Read the lesson, write the function in your file, check, repeat until every check is green.
Your file is a plain Python file: edit it here or in your own editor (`ctrl+o`); every save
is checked.

**Moving around.** `Tab` indents in the editor and `Enter` keeps the indentation;
`esc` leaves the editor for the results, `e` (or a click) goes back to it, `esc` again
returns to the exercise list. `ctrl+l` shows the lesson and puts the cursor in it.
On a narrow terminal the lesson, the editor and the results panel take turns.

**After a pass** `n` opens the next exercise not passing yet (`ctrl+n` from the editor),
`ctrl+b` puts the reference solution beside yours.

**Verdicts** {legend()}.
"""


class ExerciseScreen(Screen[None]):
    """One exercise. Focus decides what a narrow terminal shows: the lesson, the editor (with
    the results of the last check below it), or the results panel."""

    AUTO_FOCUS = "#editor"
    HELP = HELP
    # The footer shows these in this order while there is room; the help panel (f1) shows them all.
    BINDINGS = [
        Binding("escape", "leave_editor", "leave editor", priority=True,
                tooltip="focus the results (Tab indents in the editor)"),
        Binding("escape", "back", "back", priority=True, tooltip="to the exercise list (saves your file)"),
        Binding("e", "edit", "edit", tooltip="back to the editor"),
        Binding("n", "next", "next", tooltip="after a pass: the next exercise not passing yet"),
        Binding("ctrl+n", "next_from_editor", "next", tooltip="after a pass: the next exercise not passing yet"),
        Binding("ctrl+r", "check", "check", tooltip="save and check now"),
        Binding("ctrl+g", "hint", "hint", tooltip="reveal the next hint (hints taken are counted)"),
        Binding("ctrl+l", "lesson", "lesson", tooltip="show the lesson and scroll it; again to hide it"),
        Binding("f1", "app.help", "help", tooltip="show or hide this panel"),
        Binding("ctrl+b", "reference", "reference", tooltip="after a pass: the reference beside yours"),
        Binding("ctrl+b", "reference_locked", "reference", show=False, tooltip="opens after a pass"),
        Binding("ctrl+s", "save", "save", tooltip="save your file (every save is checked)"),
        Binding("f2", "tab('results')", "results", show=False, tooltip="the results of the last check"),
        Binding("f3", "tab('loss')", "loss curve", show=False, tooltip="training checks: yours and the reference's"),
        Binding("f4", "tab('hints')", "hints", show=False, tooltip="the hints taken so far"),
        Binding("f8", "reset", "reset", show=False, tooltip="back to the starter (asks first; keeps a backup)"),
        Binding("ctrl+o", "external_editor", "$EDITOR", show=False, tooltip="edit the file in your own editor"),
    ]

    def __init__(self, exercise, *, poll_interval: float = 0.5, check_on_open: bool = False) -> None:
        super().__init__()
        self.exercise = exercise
        self.check_on_open = check_on_open
        self.path = None
        self.poll_interval = poll_interval
        self.training = has_training_check(exercise)
        self.grading = False
        self.last_result = None
        self._disk_stamp: tuple[int, int] | None = None
        self._note = ""

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
                    with TabPane("Hints", id="hints"), VerticalScroll(id="hints-scroll"):
                        yield Static(id="hints-text")
        yield Footer()

    def on_mount(self) -> None:
        ex = self.exercise
        self.title = f"{ex.id} — {ex.title}"
        self.sub_title = self.app.workspace.root.name
        self._disk_stamp = self._stamp()
        self.last_result = self.app.last_results.get(ex.id)
        self.set_class(True, "pane-editor")
        self._apply_width(self.app.size.width)
        self._update_file_bar()
        self._show_hints()
        self.query_one(CodeEditor).focus()
        self.set_interval(self.poll_interval, self._poll_file, name="watch-learner-file")
        if self.last_result is not None:
            self._show_result(self.last_result)
        if self.check_on_open:
            self.action_check()

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < NARROW, "narrow")
        self.query_one("#results-view").set_narrow(width < NARROW)

    # Which pane a narrow terminal shows follows the focus, so focus never sits on a hidden widget.
    def on_descendant_focus(self, event) -> None:
        widget = event.widget
        for pane, selector in (("editor", "#editor"), ("lesson", "#lesson"), ("panel", "#bottom")):
            node = self.query_one(selector)
            if widget is node or node in widget.ancestors:
                self._set_pane(pane)
                break
        self.query_one("#results-view").set_editing(self.editing)
        self.refresh_bindings()

    def _set_pane(self, pane: str) -> None:
        for name in ("editor", "lesson", "panel"):
            self.set_class(name == pane, f"pane-{name}")

    @property
    def editing(self) -> bool:
        return self.focused is self.query_one(CodeEditor)

    @property
    def passing(self) -> bool:
        return self.last_result is not None and str(self.last_result.verdict) == "pass"

    def _bottom_target(self):
        """The widget to focus in the active tab of the bottom panel."""
        active = self.query_one("#bottom", TabbedContent).active
        return {"results": "#results-table", "loss": "#loss-plot", "hints": "#hints-scroll"}.get(active, "#results-table")

    def _update_file_bar(self, note: str | None = None) -> None:
        """The file's state; `note` (saved, changed on disk...) stays until the next one."""
        if note is not None:
            self._note = note
        note = self._note
        editor = self.query_one(CodeEditor)
        state = "● unsaved" if editor.dirty else "saved"
        text = Text.assemble((self.exercise.workspace_path, "bold"), f"  {state}")
        if note:  # about the file, so next to its state: the line is cut at the right on 80 columns
            text.append(f"  · {note}", style="bold yellow" if note == CHANGED_ON_DISK else "dim")
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
            look = STATUS_LOOKS[status]
            text.append(f"  · {look.icon} {status}", style=look.colour)
        kernels = self.app.kernels
        if kernels is not None and kernels.line(short=True):
            text.append(f"  · {kernels.line(short=True)}", style="dim")
        self.query_one("#file-bar", Static).update(text)

    @on(CodeEditor.Changed)
    def _edited(self) -> None:
        # "saved" and the like end with the next edit; a conflict with the disk stays until a save
        self._update_file_bar(note=self._note if self._note == CHANGED_ON_DISK else "")

    def on_kernels_progress(self, message: KernelsProgress) -> None:
        self._update_file_bar()

    # -- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "leave_editor":
            return self.editing
        if action in ("back", "edit"):
            return not self.editing
        if action == "next":
            return self.passing and not self.editing
        if action == "next_from_editor":
            return self.passing and self.editing
        if action in ("reference", "reference_locked"):
            return (self.passing or self.app.has_passed(self.exercise.id)) == (action == "reference")
        return True

    def action_reference_locked(self) -> None:
        self.app.notify("The reference opens once your solution passes.", severity="warning")

    def action_leave_editor(self) -> None:
        self.query_one(self._bottom_target()).focus()

    def action_edit(self) -> None:
        self.query_one(CodeEditor).focus()

    def action_back(self) -> None:
        editor = self.query_one(CodeEditor)
        if editor.dirty:
            editor.save()
            self.app.notify(f"saved {self.exercise.workspace_path}")
        self.app.pop_screen()

    def action_next(self) -> None:
        self._save_quietly()
        self.app.open_next(after=self.exercise.id)

    def action_next_from_editor(self) -> None:
        self.action_next()

    def _save_quietly(self) -> None:
        editor = self.query_one(CodeEditor)
        if editor.dirty:
            editor.save()
            self._disk_stamp = self._stamp()

    def action_save(self) -> None:
        editor = self.query_one(CodeEditor)
        changed = editor.save()
        self._disk_stamp = self._stamp()
        self._update_file_bar("saved")
        if changed:
            self.start_grading("save")

    def action_check(self) -> None:
        self._save_quietly()
        self.start_grading("check")

    def action_tab(self, tab: str) -> None:
        """Show a tab of the bottom panel; focus follows when it was in the panel already."""
        tabs = self.query_one("#bottom", TabbedContent)
        if not tabs.query(f"#{tab}"):
            return
        in_panel = self.focused is not None and (self.focused is tabs or tabs in self.focused.ancestors)
        tabs.active = tab
        if in_panel or not self.editing and self.has_class("narrow"):
            self.query_one(self._bottom_target()).focus()

    def action_lesson(self) -> None:
        lesson = self.query_one(LessonView)
        in_lesson = self.focused is not None and (self.focused is lesson or lesson in self.focused.ancestors)
        if self.has_class("narrow"):
            if in_lesson:
                self.query_one(CodeEditor).focus()
            else:
                self._set_pane("lesson")
                lesson.focus()
            return
        if self.has_class("lesson-hidden"):
            self.remove_class("lesson-hidden")
            self.call_after_refresh(lesson.focus)
        elif in_lesson:
            self.add_class("lesson-hidden")
            self.query_one(CodeEditor).focus()
        else:
            lesson.focus()

    def action_hint(self) -> None:
        ex = self.exercise
        store = self.app.store
        if store.hint_level(ex.id) >= len(ex.hints):
            self.app.notify("That was the last hint: the lesson's task section and the results have the rest.")
        else:
            level = store.take_hint(ex.id, len(ex.hints))
            self.app.notify(f"hint {level}/{len(ex.hints)} revealed (hints taken are counted)")
            self.app.progress_changed(ex.id)
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
            app = self.app
            backup = app.workspace.reset(ex)
            app.store.record_reset(ex.id)
            # Whatever was said about the old file no longer holds: forget it everywhere.
            app.last_results.pop(ex.id, None)
            self.last_result = None
            self.query_one(CodeEditor).reload()
            self._disk_stamp = self._stamp()
            self.query_one("#results-view").clear("Reset to the starter: not checked yet.")
            app.progress_changed(ex.id)
            self._update_file_bar("reset to the starter")
            self.refresh_bindings()
            where = f"; your old file is in {backup.relative_to(app.workspace.root)}" if backup else ""
            app.notify(f"{ex.workspace_path} is back to its starter{where}")

        self.app.push_screen(ConfirmScreen(f"Reset {ex.workspace_path} to its starter?\n"
                                           "Your current file is kept in .tutor/backups.", yes="Reset"), answer)

    def action_reference(self) -> None:
        if not (self.passing or self.app.has_passed(self.exercise.id)):
            self.action_reference_locked()
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

    def palette_actions(self) -> list[tuple[str, str, object]]:
        """(command, help, callback) for the command palette: this exercise's actions."""
        ex = self.exercise
        nxt = self.app.next_exercise(after=ex.id)
        actions = [
            ("check", f"check {ex.id} now", self.action_check),
            ("hint", f"reveal the next hint of {ex.id}", self.action_hint),
            ("lesson", "show the lesson and scroll it", self.action_lesson),
            ("reference", "the reference solution beside yours (after a pass)", self.action_reference),
            ("next", (f"open {nxt.id} — {nxt.title}" if nxt else "every exercise passes"),
             self.action_next),
            ("reset", f"put the starter back in {ex.workspace_path} (asks first)", self.action_reset),
        ]
        out = []
        for action, help_text, callback in actions:
            binding = next((b for b in self.BINDINGS if b.action == action), None)
            key = f" ({self.app.get_key_display(binding)})" if binding is not None else ""
            out.append((f"{action}{key}", help_text, callback))
        return out

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
            self._update_file_bar(CHANGED_ON_DISK)
            return
        editor.reload(message.text)
        self._update_file_bar("reloaded from disk")
        self.start_grading("file changed")

    # -- grading --------------------------------------------------------------------------
    def start_grading(self, reason: str) -> None:
        self.grading = True
        self._update_file_bar(note="")
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
        self.app.progress_changed(self.exercise.id)
        self._show_result(result)
        self._update_file_bar()
        verdict = str(result.verdict)
        if self.training and verdict != "pass" and self.query_one("#loss-plot").series:
            pass  # keep the loss tab if it is showing: the curve is the story
        else:
            self.action_tab("results")
        if verdict == "pass":
            nxt = self.app.next_exercise(after=self.exercise.id)
            stays = self.editing and self.query_one(CodeEditor).dirty  # typing on: keep the editor
            if self.editing and not stays:
                # Done with this file: leave the editor so that `n` works at once.
                self.query_one("#results-table").focus()
            key = "ctrl+n" if stays else "n"
            where = f"{key}: next exercise, {nxt.id}" if nxt else "every exercise passes"
            self.app.notify(f"All checks pass. {where} · ctrl+b: the reference.", title="passing")
        self.refresh_bindings()

    def _show_result(self, result) -> None:
        nxt = None
        if str(result.verdict) == "pass":
            nxt = self.app.next_exercise(after=self.exercise.id)
        self.query_one("#results-view").show(result, next_exercise=nxt, all_done=nxt is None)

    def on_grading_failed(self, message: GradingFailed) -> None:
        self.grading = False
        self.query_one("#results-view").failed(message.error)
        self._update_file_bar()
        self.app.notify(message.error[:300], title="the grader could not run", severity="error")
