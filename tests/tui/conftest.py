"""Fixtures for the TUI tests: a workspace over a tiny fixture lesson pack, real or fake grading."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tutor.engine.catalog import load_catalog
from tutor.engine.progress import Attempt, ProgressStore, file_hash
from tutor.engine.workspace import init_workspace
from tutor.grader.results import CheckResult, ExerciseResult, Report, Verdict

PACK = Path(__file__).parent / "fixtures" / "pack"

ADD_SOLUTION = '"""Fixture chapter 1 - add."""\n\nimport torch\n\n\ndef add(a, b):\n    return a + b\n'
ADD_WRONG = '"""Fixture chapter 1 - add."""\n\nimport torch\n\n\ndef add(a, b):\n    return a - b\n'
DESCENT_SOLUTION = "def sgd_step(w, grad, lr):\n    return w - lr * grad\n"
DESCENT_WRONG = "def sgd_step(w, grad, lr):\n    return w + lr * grad\n"


def fixture_catalog():
    return load_catalog([PACK], include_builtin=False)


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch):
    """A blinking cursor makes screenshots depend on timing (harlequin does the same)."""
    import tutor.tui.widgets.editor

    monkeypatch.setattr(tutor.tui.widgets.editor, "CURSOR_BLINK", False)


@pytest.fixture
def workspace(tmp_path):
    """A fresh workspace named `ws` (a stable name for snapshots) holding the fixture pack's starters."""
    ws, _ = init_workspace(tmp_path / "ws", fixture_catalog())
    return ws


def real_session(ws):
    """The app's real (warm) grading session, over the fixture pack only."""
    from tutor.tui.app import open_session

    return open_session(ws, catalog=fixture_catalog())


class FakeSession:
    """Grades instantly with scripted results; streams points like a training check would."""

    def __init__(self, ws, *, points: int = 25, delay: float = 0.0, gate=None):
        self.workspace, self.points, self.delay = ws, points, delay
        self.gate = gate  # a threading.Event: each grading waits for it before it ends
        self.calls: list[str] = []
        self.closed = False

    def check(self, exercises, on_event=None):
        emit = on_event or (lambda kind, payload: None)
        results = []
        for ex in exercises:
            self.calls.append(ex.id)
            path = self.workspace.learner_file(ex)
            text = path.read_text()
            started = "NotImplementedError" not in text
            right = "a + b" in text or "w - lr" in text
            checks = []
            if ex.slug == "descent":
                emit("check_started", {"exercise": ex.id, "index": 0})
                series = {"learner": {"loss": []}, "reference": {"loss": []}}
                for step in range(self.points if started else 0):
                    ref = 5.25 * 0.64 ** step
                    mine = ref if right else 5.25 * 1.44 ** step
                    for role, value in (("reference", ref), ("learner", mine)):
                        series[role]["loss"].append([step, value])
                        emit("point", {"exercise": ex.id, "index": 0, "series": "loss", "role": role,
                                       "step": step, "value": value})
                    if self.delay:
                        time.sleep(self.delay)
                if not started:
                    checks.append(CheckResult("descends a quadratic (30 steps)", Verdict.NOT_STARTED,
                                              "not started yet: the file is still the starter", kind="training"))
                elif right:
                    checks.append(CheckResult("descends a quadratic (30 steps)", Verdict.PASS, kind="training",
                                              series=series, details={"learner": 1e-5, "reference": 1e-5}))
                else:
                    checks.append(CheckResult(
                        "descends a quadratic (30 steps)", Verdict.FAIL,
                        "You step along the gradient, so the loss grows: subtract lr * grad instead. "
                        "(final_loss 3.1e+04 differs from the reference's 1e-05)", "descent.ascends",
                        kind="training", series=series, details={"learner": 3.1e4, "reference": 1e-5}))
            else:
                for i, name in enumerate(["small example", "random 3×4"]):
                    emit("check_started", {"exercise": ex.id, "index": i})
                    if not started:
                        checks.append(CheckResult(name, Verdict.NOT_STARTED, "not started yet: the file is still the starter"))
                    elif right:
                        checks.append(CheckResult(name, Verdict.PASS, duration_s=0.01))
                    elif i == 0:
                        checks.append(CheckResult(
                            name, Verdict.FAIL,
                            "You subtract b from a instead of adding them. (add(tensor([1., 2., 3.]), "
                            "tensor([10., 20., 30.])): output: 3 of 3 values differ; largest absolute difference "
                            "60 at index (2,))", "add.subtracts", duration_s=0.01,
                            details={"input": "add(tensor([1., 2., 3.]), tensor([10., 20., 30.]))",
                                     "expected": "tensor([11., 22., 33.])", "got": "tensor([-9., -18., -27.])",
                                     "max_abs_diff": 60.0, "max_abs_index": [2], "mismatched": 3, "total": 3}))
                    else:
                        checks.append(CheckResult(
                            name, Verdict.ERROR,
                            'ZeroDivisionError: division by zero (chapter1/add.py, line 7)\n'
                            f'  File "{path.resolve()}", line 7, in add\n    return a - b\n'
                            "ZeroDivisionError: division by zero", duration_s=0.01))
            if self.gate is not None:
                self.gate.wait(30)
            result = ExerciseResult(ex.id, ex.title, checks, duration_s=0.25)
            for i, check in enumerate(checks):
                emit("check_finished", {"exercise": ex.id, "index": i, "result": check})
            emit("exercise_finished", {"exercise": ex.id, "result": result})
            ProgressStore(self.workspace.progress_db).record_attempt(
                Attempt(time.time(), ex.id, str(result.verdict), result.score, 0.25, file_hash(path)))
            results.append(result)
        return Report("test", str(self.workspace.root), results)

    def close(self):
        self.closed = True


@pytest.fixture
def make_app(workspace):
    """App factory over the fixture workspace; fake grading unless real=True."""
    from tutor.tui.app import create_app

    sessions = []

    def factory(*, real: bool = False, fake: dict | None = None, **kwargs):
        def session_factory(ws):
            session = real_session(ws) if real else FakeSession(ws, **(fake or {}))
            sessions.append(session)
            return session

        kwargs.setdefault("warm_up", False)
        kwargs.setdefault("poll_interval", 0.1)
        app = create_app(workspace, catalog=fixture_catalog(), session_factory=session_factory, **kwargs)
        app.sessions = sessions
        return app

    return factory


async def wait_for(pilot, predicate, timeout: float = 30.0, step: float = 0.05) -> None:
    """Let the app run until predicate() holds (workers report through messages)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(step)


def screen_text(app) -> str:
    """The screen as plain text, as a learner sees it (the same render as Textual's screenshots)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def visible_rows(widget) -> int:
    """How many rows of `widget` are on screen (0 when it is hidden)."""
    if not widget.display or not widget.is_on_screen:
        return 0
    return widget.region.intersection(widget.screen.region).height


async def footer_shows(pilot, *words: str, timeout: float = 10.0) -> str:
    """The footer's text once it shows every one of `words` (it is redrawn after focus moves)."""
    app = pilot.app
    await wait_for(pilot, lambda: all(w in screen_text(app).splitlines()[-1] for w in words), timeout)
    return screen_text(app).splitlines()[-1]
