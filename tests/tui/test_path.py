"""The path through the course: after a pass `n` opens the next exercise not passing, home
follows progress live, reset forgets the last check everywhere, the kernels' progress line."""

import threading

from tutor.engine.commands import exercise_status
from tutor.engine.progress import Attempt, ProgressStore, file_hash
from tutor.tui.messages import KernelsProgress
from tutor.tui.screens.confirm import ConfirmScreen
from tutor.tui.screens.exercise import ExerciseScreen
from tutor.tui.screens.home import HomeScreen

from .conftest import ADD_SOLUTION, DESCENT_SOLUTION, footer_shows, screen_text, wait_for


async def test_after_a_pass_n_opens_the_next_exercise_not_passing(make_app, workspace):
    app = make_app()
    workspace.learner_file(app.catalog.exercise("chapter1/add")).write_text(ADD_SOLUTION)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert screen.query_one("#editor").has_focus
        await pilot.press("n")  # typed into the file: n means nothing else while editing
        assert screen.query_one("#editor").text.startswith("n")
        await pilot.press("ctrl+z", "ctrl+r")
        await wait_for(pilot, lambda: screen.last_result is not None)
        # the file is done: focus leaves the editor and the prompt says what comes next
        assert screen.query_one("#results-table").has_focus
        text = screen_text(app)
        assert "n next exercise: chapter1/descent — Gradient descent step" in text
        assert "e keep editing" in text
        await pilot.press("e")  # back in the editor, where n types an n: the prompt says ctrl+n
        await wait_for(pilot, lambda: "ctrl+n next exercise: chapter1/descent" in screen_text(app))
        assert "keep editing" not in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: "e keep editing" in screen_text(app))
        assert "ctrl+n next" not in screen_text(app)
        await footer_shows(pilot, "n next")
        await pilot.press("n")
        assert isinstance(app.screen, ExerciseScreen) and app.screen.exercise.id == "chapter1/descent"
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["HomeScreen", "ExerciseScreen"]


async def test_a_pass_while_typing_keeps_the_editor_and_ctrl_n_moves_on(make_app, workspace):
    gate = threading.Event()
    app = make_app(fake={"gate": gate})
    descent = app.catalog.exercise("chapter1/descent")
    workspace.learner_file(descent).write_text(DESCENT_SOLUTION)
    ProgressStore(workspace.progress_db).record_attempt(
        Attempt(1.0, descent.id, "pass", 1.0, 0.1, file_hash(workspace.learner_file(descent))))
    workspace.learner_file(app.catalog.exercise("chapter1/add")).write_text(ADD_SOLUTION)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")  # home: the next exercise not passing
        screen = app.screen
        assert screen.exercise.id == "chapter1/add"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.grading)
        await pilot.press("end", *" # done")  # typing on while the check runs
        gate.set()
        await wait_for(pilot, lambda: screen.last_result is not None)
        assert screen.query_one("#editor").has_focus  # unsaved edits: the editor keeps the focus
        await footer_shows(pilot, "^n next")
        await pilot.press("ctrl+n")  # every other exercise passes: nothing left
        assert isinstance(app.screen, HomeScreen)
        assert any("Every exercise passes" in n.message for n in app._notifications)
        assert " # done" in workspace.learner_file(screen.exercise).read_text()  # saved on the way out


async def test_a_pass_while_typing_tells_ctrl_n_not_n(make_app, workspace):
    gate = threading.Event()
    app = make_app(fake={"gate": gate})
    workspace.learner_file(app.catalog.exercise("chapter1/add")).write_text(ADD_SOLUTION)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "ctrl+r")
        screen = app.screen
        await wait_for(pilot, lambda: screen.grading)
        await pilot.press("end", *" # done")
        gate.set()
        await wait_for(pilot, lambda: screen.last_result is not None)
        assert screen.query_one("#editor").has_focus
        notes = lambda: [n.message for n in app._notifications if "All checks pass" in n.message]
        await wait_for(pilot, notes)
        assert "ctrl+n: next exercise, chapter1/descent" in notes()[0]
        await wait_for(pilot, lambda: "ctrl+n next exercise: chapter1/descent" in screen_text(app))


async def test_home_details_follow_a_grading_without_moving_the_cursor(make_app, workspace):
    app = make_app()
    workspace.learner_file(app.catalog.exercise("chapter1/add")).write_text(ADD_SOLUTION)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+r")  # from home: opens the highlighted exercise and checks it
        screen = app.screen
        await wait_for(pilot, lambda: screen.last_result is not None)
        home = app.screen_stack[1]
        assert "✓ passing" in str(home.query_one("#detail-text").render())  # already, underneath
        await pilot.press("escape")
        assert app.screen is home
        assert "✓ passing" in str(home.query_one("#detail-text").render())
        assert "last check: pass" in str(home.query_one("#detail-text").render())


async def test_home_follows_progress_recorded_elsewhere(make_app, workspace):
    app = make_app()
    ex = app.catalog.exercise("chapter1/add")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        workspace.learner_file(ex).write_text(ADD_SOLUTION)  # `tutor check` in another terminal
        ProgressStore(workspace.progress_db).record_attempt(
            Attempt(2.0, ex.id, "pass", 1.0, 0.1, file_hash(workspace.learner_file(ex))))
        await wait_for(pilot, lambda: "1/2 exercises passing" in str(app.screen.query_one("#overall-text").render()))
        assert "✓ Add two tensors  passing" in screen_text(app)
        assert "✓ passing" in str(app.screen.query_one("#detail-text").render())


async def test_reset_forgets_the_last_check_everywhere(make_app, workspace):
    app = make_app()
    ex = app.catalog.exercise("chapter1/add")
    workspace.learner_file(ex).write_text(ADD_SOLUTION)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "ctrl+r")
        screen = app.screen
        await wait_for(pilot, lambda: screen.last_result is not None)
        assert "last check: ✓ pass 2/2" in str(screen.query_one("#file-bar").render())
        await pilot.press("f8")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        bar = str(screen.query_one("#file-bar").render())
        assert "last check" not in bar and "not started" in bar
        assert "Reset to the starter" in str(screen.query_one("#results-summary").render())
        assert screen.query_one("#results-table").row_count == 0
        assert not screen.check_action("next", ())  # no pass any more: n is not offered
        await pilot.press("escape")
        home = app.screen_stack[1]
        assert "○ Add two tensors  not started" in [str(n.label) for n in home._tree_nodes["chapter1"].children]
        assert "0/2 exercises passing" in str(home.query_one("#overall-text").render())
    # and `tutor list` agrees: the store recorded the reset
    store = ProgressStore(workspace.progress_db)
    assert store.latest() == {} and exercise_status(workspace, store.latest(), ex) == "not_started"


async def test_the_kernels_progress_line(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert not home.query_one("#kernels-line").display
        app.kernels = KernelsProgress("compiling", 3, 10, "pool2d (float32)")
        home.post_message(KernelsProgress("compiling", 3, 10, "pool2d (float32)"))
        await pilot.pause()
        assert "compiling the reference kernels 3/10" in screen_text(app)
        await pilot.press("enter")
        assert "compiling kernels 3/10" in str(app.screen.query_one("#file-bar").render())
        app.kernels = KernelsProgress("ready")
        home.post_message(KernelsProgress("ready"))
        await pilot.press("escape", "escape")
        assert not home.query_one("#kernels-line").display


async def test_the_app_follows_the_background_compile(make_app, monkeypatch):
    """TUI start with cold kernels: the compile starts and its progress file drives the line."""
    from tutor.kernels import jit, precompile

    news = {"state": "compiling", "done": 1, "total": 10}
    started = []
    monkeypatch.setattr(jit, "is_ready", lambda: news["state"] == "ready")
    monkeypatch.setattr(jit, "read_progress", lambda: dict(news))
    monkeypatch.setattr(precompile, "start_background", lambda: started.append(1) or True)
    loaded = []
    monkeypatch.setattr(precompile, "preload", lambda: loaded.append(1) or True)
    app = make_app(precompile=True, warm_up=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.kernels is not None and app.kernels.done == 1)
        assert started == [1]
        await wait_for(pilot, lambda: loaded == [1])  # and the grader process loads them when ready
        # The line is drawn on a later refresh than the one that took the news: on a busy machine
        # the screen may not show it yet at the moment the state changed.
        await wait_for(pilot, lambda: "compiling the reference kernels 1/10" in screen_text(app))
        news.update(state="ready", done=10)
        await wait_for(pilot, lambda: not app.screen.query_one("#kernels-line").display)
        assert any("kernels are compiled" in n.message for n in app._notifications)
