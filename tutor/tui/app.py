"""The `tutor start` app: one App, an app factory for the CLI and the tests, and run_tui.

Startup imports no torch: the grading session (and its pre-started worker process, which
imports torch in a child) opens in a thread worker after the first screen is shown.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding

from tutor.engine.catalog import Catalog, load_catalog
from tutor.engine.progress import ProgressStore
from tutor.engine.verdicts import status_of
from tutor.engine.workspace import Workspace
from tutor.tui.commands import ExerciseCommands
from tutor.tui.messages import GraderReady, KernelsProgress, ProgressChanged

WARM_UP_DELAY_S = 0.3
KERNELS_POLL_S = 0.5


def open_session(workspace: Workspace, catalog: Catalog | None = None):
    """The warm grading session: a worker always waiting, torch imported here in the background."""
    from tutor.grader.session import Session

    return Session.open_warm(workspace, catalog=catalog)


class TutorApp(App[None]):
    CSS_PATH = "tutor.tcss"
    TITLE = "tutor"
    COMMANDS = App.COMMANDS | {ExerciseCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "quit", priority=True, show=False),
        Binding("f1", "help", "help", tooltip="show or hide this panel: the keys of where you are"),
    ]

    def __init__(self, workspace: Workspace, *, catalog: Catalog | None = None,
                 session_factory: Callable[[Workspace], object] | None = None, warm_up: bool = True,
                 poll_interval: float = 0.5, open_exercise: str | None = None,
                 precompile: bool = False) -> None:
        super().__init__()
        self.precompile = precompile  # compile the reference kernels in the background if they are not yet
        self.kernels: KernelsProgress | None = None  # the last news of that compile
        self._kernels_timer = None
        self.workspace = workspace
        self.catalog = catalog if catalog is not None else load_catalog(workspace.packs)
        self.store = ProgressStore(workspace.progress_db)
        self.session_factory = session_factory or open_session
        self.warm_up = warm_up
        self.poll_interval = poll_interval
        self.initial_exercise = open_exercise
        self.grading_lock = threading.Lock()
        self.last_results: dict[str, object] = {}
        self._session = None
        self._session_lock = threading.Lock()
        self._statuses: dict[str, str] | None = None
        self._closed = False
        self.first_screen_at: float | None = None
        self.last_opened: str | None = None  # the home screen comes back with this one selected

    # -- startup --------------------------------------------------------------------------
    def on_mount(self) -> None:
        from tutor.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self.initial_exercise:
            self.open_exercise(self.initial_exercise)

    def on_ready(self) -> None:
        self.first_screen_at = time.time()  # read by benchmarks/tui_startup.py
        if self.warm_up:
            self.set_timer(WARM_UP_DELAY_S, self._warm_up)

    @work(thread=True, exclusive=True, exit_on_error=False, group="warm-up")
    def _warm_up(self) -> None:
        if self.precompile:
            self.start_kernels_compile()
        try:
            self.session()
            # The grader loads checks.py and the reference in this process: import what they need
            # now, while the learner reads, so the first check does not pay for it.
            import torch  # noqa: F401

            import tutor.grader.grade  # noqa: F401
        except Exception as exc:  # noqa: BLE001 - reported; a check will try again and show the error
            self.post_message(GraderReady(f"{type(exc).__name__}: {exc}"))
        else:
            self.post_message(GraderReady())
            if self.precompile:
                self.call_from_thread(self._preload_kernels)

    @work(thread=True, exclusive=True, exit_on_error=False, group="kernels")
    def _preload_kernels(self) -> None:
        """Load the compiled kernels into this process (the grader's): the first heavy check
        then costs no more than a later one. Waits for the background compile if it runs."""
        from tutor.kernels.precompile import preload

        preload()

    def on_grader_ready(self, message: GraderReady) -> None:
        if message.error:
            self.notify(f"the grader could not start: {message.error}", severity="error")

    # -- reference kernels compiled ahead -------------------------------------------------
    def start_kernels_compile(self) -> None:
        """Start the background compile when the kernels are cold, and follow its progress.

        Called from a worker thread: starting it costs a numpy import and a fork.
        """
        from tutor.kernels import jit
        from tutor.kernels.precompile import start_background

        if jit.is_ready():
            return
        if not start_background() and not jit.compiler_running():
            return  # turned off (TUTOR_PRECOMPILE=0): a heavy check compiles what it needs
        self._kernels_timer = self.call_from_thread(self.set_interval, KERNELS_POLL_S, self._poll_kernels,
                                                    name="kernels-progress")

    def _poll_kernels(self) -> None:
        from tutor.kernels import jit

        news = jit.read_progress()
        state = str(news.get("state") or "starting")
        message = KernelsProgress(state, int(news.get("done") or 0), int(news.get("total") or 0),
                                  str(news.get("current") or ""))
        if self.kernels is not None and (message.state, message.done) == (self.kernels.state, self.kernels.done):
            return
        self.kernels = message
        for screen in self.screen_stack:
            screen.post_message(KernelsProgress(message.state, message.done, message.total, message.current))
        if state in ("ready", "failed"):
            if self._kernels_timer is not None:
                self._kernels_timer.stop()
            if state == "ready":
                self.notify("The reference kernels are compiled: heavy checks run at full speed.", timeout=4)

    # -- progress ---------------------------------------------------------------------------
    def progress_changed(self, exercise_id: str | None = None) -> None:
        """Something was recorded: every screen showing a status hears of it."""
        self.invalidate_status()
        for screen in self.screen_stack:
            screen.post_message(ProgressChanged(exercise_id))

    def next_exercise(self, after: str | None = None):
        """The next exercise not passing (after `after`, wrapping around), or None when all pass."""
        from tutor.engine.commands import next_exercise

        statuses = self.statuses()
        return next_exercise(self.catalog.exercises, lambda ex: "pass" if statuses[ex.id] == "passing" else "",
                             after=after)

    def open_next(self, after: str | None = None) -> None:
        ex = self.next_exercise(after)
        if ex is None:
            self.notify("Every exercise passes. Well done!", title="all done")
            self.go_home()
            return
        self.open_exercise(ex.id)

    def session(self):
        """The grading session, opened on first use (thread-safe; called from workers)."""
        with self._session_lock:
            if self._closed:
                raise RuntimeError("the app is closing")
            if self._session is None:
                if self.session_factory is open_session:
                    self._session = open_session(self.workspace, self.catalog)
                else:
                    self._session = self.session_factory(self.workspace)
            return self._session

    def on_unmount(self) -> None:
        self.close_session()

    def close_session(self) -> None:
        with self._session_lock:
            self._closed = True
            session, self._session = self._session, None
        if session is not None:
            try:
                session.close()  # a warm session owns its pool and closes it
            except Exception:  # noqa: BLE001 - closing must not hide the real exit
                pass

    # -- state ----------------------------------------------------------------------------
    def statuses(self) -> dict[str, str]:
        """Exercise id -> "passing" / "failing" / "not started" (cached until a grading ends)."""
        if self._statuses is None:
            from tutor.engine.commands import exercise_status

            latest = self.store.latest()
            self._statuses = {}
            for ex in self.catalog.exercises:
                verdict = exercise_status(self.workspace, latest, ex)
                self._statuses[ex.id] = status_of(verdict)
        return self._statuses

    def invalidate_status(self) -> None:
        self._statuses = None

    def has_passed(self, exercise_id: str) -> bool:
        """Whether this exercise has ever passed here (the reference opens only then)."""
        if exercise_id in self.last_results and str(self.last_results[exercise_id].verdict) == "pass":
            return True
        return any(a.verdict == "pass" for a in self.store.attempts(exercise_id))

    def resume_exercise(self) -> str | None:
        """Where the learner left off: the last exercise touched, else the first not passing."""
        last = self.store.last_exercise()
        ids = {ex.id for ex in self.catalog.exercises}
        if last in ids:
            return last
        statuses = self.statuses()
        return next((ex.id for ex in self.catalog.exercises if statuses[ex.id] != "passing"), None)

    # -- navigation -----------------------------------------------------------------------
    def open_exercise(self, exercise_id: str, check: bool = False) -> None:
        from tutor.tui.screens.exercise import ExerciseScreen
        from tutor.tui.screens.home import HomeScreen

        ex = self.catalog.exercise(exercise_id)
        self.last_opened = ex.id
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        self.push_screen(ExerciseScreen(ex, poll_interval=self.poll_interval, check_on_open=check))

    def go_home(self) -> None:
        from tutor.tui.screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def action_help(self) -> None:
        """Textual's help panel: the focused widget's help and every key active there, from the bindings."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_show_help_panel(self) -> None:
        from tutor.tui.widgets.help_panel import TutorHelpPanel

        if not self.screen.query("HelpPanel"):
            self.screen.mount(TutorHelpPanel())


def create_app(workspace: Workspace | Path, **kwargs) -> TutorApp:
    """The one app factory, used by `tutor start` and by the tests."""
    if not isinstance(workspace, Workspace):
        from tutor.engine.workspace import find_workspace

        workspace = find_workspace(explicit=Path(workspace))
    return TutorApp(workspace, **kwargs)


def run_tui(workspace: Workspace, **kwargs) -> None:
    app = create_app(workspace, precompile=True, **kwargs)
    try:
        app.run()
    finally:
        app.close_session()
