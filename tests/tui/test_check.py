"""Checking: background grading, the results table, diagnoses, trimmed tracebacks; real grading too."""

import threading

from tutor.tui.messages import CheckFinished, ExerciseGraded, GradingStarted
from tutor.tui.widgets.results import trim_traceback

from .conftest import ADD_SOLUTION, ADD_WRONG, wait_for


async def test_check_key_grades_in_a_worker_and_fills_the_table(make_app, workspace):
    app = make_app()
    messages = []
    ex = app.catalog.exercise("chapter1/add")
    workspace.learner_file(ex).write_text(ADD_WRONG)
    async with app.run_test(size=(160, 48), message_hook=messages.append) as pilot:
        await pilot.press("enter", "ctrl+r")
        screen = app.screen
        await wait_for(pilot, lambda: screen.last_result is not None)
        kinds = [type(m) for m in messages]
        assert GradingStarted in kinds and CheckFinished in kinds and ExerciseGraded in kinds
        assert app.sessions[0].calls == ["chapter1/add"]
        view = screen.query_one("#results-view")
        table = view.table
        assert table.row_count == 2
        assert [str(table.get_row_at(i)[2]) for i in range(2)] == ["✗ fail", "! error"]
        # the first failing check is selected and explained: diagnosis, failing input, largest difference
        detail = str(view.detail_text(0))
        assert "diagnosis: add.subtracts" in detail
        assert "You subtract b from a instead of adding them." in detail
        assert "failing input: add(tensor([1., 2., 3.]), tensor([10., 20., 30.]))" in detail
        assert "largest difference: 60 at index (2,)" in detail
        # the traceback shows the learner's file as it is named in the workspace
        error = str(view.detail_text(1))
        assert 'File "chapter1/add.py", line 7, in add' in error and str(workspace.root) not in error
        assert "0/2 checks pass" in str(view.query_one("#results-summary").render())
        assert "last check: ! error 0/2" in str(screen.query_one("#file-bar").render())


async def test_ui_stays_responsive_while_grading(make_app, workspace):
    gate = threading.Event()
    app = make_app(fake={"gate": gate})  # the grading ends only when the test says so
    ex = app.catalog.exercise("chapter1/descent")
    workspace.learner_file(ex).write_text("def sgd_step(w, grad, lr):\n    return w - lr * grad\n")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "enter", "ctrl+r")
        screen = app.screen
        await wait_for(pilot, lambda: screen.query_one("#loss-plot").point_count() > 0)
        assert screen.grading
        await pilot.press("f4")  # keys still work mid-grading
        assert screen.query_one("#bottom").active == "hints"
        gate.set()
        await wait_for(pilot, lambda: screen.last_result is not None)
        assert str(screen.last_result.verdict) == "pass"


def test_trim_traceback_keeps_only_the_learners_frames():
    text = ('ValueError: bad (chapter1/add.py, line 3)\n'
            '  File "/ws/chapter1/add.py", line 3, in add\n    return f(a)\n'
            '  File "/venv/torch/functional.py", line 99, in f\n    raise ValueError("bad")\n'
            'ValueError: bad')
    out = trim_traceback(text, "/ws/chapter1/add.py", "chapter1/add.py")
    assert 'File "chapter1/add.py", line 3, in add' in out and "return f(a)" in out
    assert "functional.py" not in out and 'raise ValueError("bad")' not in out
    assert out.endswith("ValueError: bad")


async def test_real_grading_of_the_fixture_pack(make_app, workspace):
    """End to end with the real grader and a warm worker: fail with a diagnosis, then pass."""
    app = make_app(real=True, warm_up=True)
    ex = app.catalog.exercise("chapter1/add")
    workspace.learner_file(ex).write_text(ADD_WRONG)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app._session is not None, timeout=30)  # warm-up opened the session
        await pilot.press("enter", "ctrl+r")
        screen = app.screen
        await wait_for(pilot, lambda: screen.last_result is not None, timeout=60)
        result = screen.last_result
        assert str(result.verdict) == "fail", result
        assert result.checks[0].diagnosis == "add.subtracts"
        assert "diagnosis: add.subtracts" in str(screen.query_one("#results-view").detail_text(0))
        # fix it in the editor and save: every save is checked
        editor = screen.query_one("#editor")
        editor.load_text(ADD_SOLUTION)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: str(screen.last_result.verdict) == "pass", timeout=60)
        assert workspace.learner_file(ex).read_text() == ADD_SOLUTION
        assert app.has_passed(ex.id)
        # a syntax error: said once, with the file, the line and the caret; the other check did not run
        editor = screen.query_one("#editor")
        editor.load_text(ADD_SOLUTION.replace("return a + b", "return (a + b"))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: str(screen.last_result.verdict) == "error", timeout=60)
        first, second = screen.last_result.checks
        lines = first.message.splitlines()
        assert lines[0].startswith("SyntaxError: '(' was never closed (chapter1/add.py, line 7)"), first.message
        assert lines[1:] == ['  File "chapter1/add.py", line 7', "    return (a + b", "           ^"], first.message
        assert second.message == "not run: your file does not import"
        detail = str(screen.query_one("#results-view").detail_text(0))
        assert "    return (a + b\n           ^" in detail and detail.count("SyntaxError") == 1
        pool = app.sessions[0].grader.pool
    assert pool._closed and app.sessions[0].grader.pool is None  # the warm worker was closed with the app
