"""Snapshots of the main screens (pytest-textual-snapshot) at 80×24 and 120×40.

Update after a deliberate change with: pytest tests/tui/test_snapshots.py --snapshot-update
"""

import pytest

from .conftest import ADD_SOLUTION, ADD_WRONG, DESCENT_WRONG, wait_for

pytest.importorskip("pytest_textual_snapshot")

SMALL, MEDIUM = (80, 24), (120, 40)
SIZES = pytest.mark.parametrize("size", [SMALL, MEDIUM], ids=["80x24", "120x40"])


async def _settled(pilot):
    """Wait until the lesson's markdown is rendered (it renders asynchronously) and animations end."""
    screen = pilot.app.screen
    for area in screen.query("TextArea"):
        area.cursor_blink = False  # a blinking cursor would make the snapshot depend on timing
    if screen.query("#lesson-md"):
        await wait_for(pilot, lambda: len(screen.query_one("#lesson-md").children) > 0)
    await pilot.wait_for_scheduled_animations()
    # then until two screenshots in a row agree (under load, widgets lay out a few frames late)
    previous = None
    for _ in range(50):
        await pilot.pause(0.1)
        current = pilot.app.export_screenshot()
        if current == previous:
            break
        previous = current


def _quiet(app):
    app.notify = lambda *args, **kwargs: None  # toasts time out: they would make snapshots flaky
    return app


async def _opened(pilot):
    await pilot.press("enter")
    await _settled(pilot)


async def _graded(pilot):
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.last_result is not None)
    await _settled(pilot)


@SIZES
def test_home(snap_compare, make_app, size):
    assert snap_compare(make_app(), run_before=_settled, terminal_size=size)


@SIZES
def test_exercise_lesson_and_editor(snap_compare, make_app, size):
    assert snap_compare(make_app(), run_before=_opened, terminal_size=size)


@SIZES
def test_failing_check_while_editing(snap_compare, make_app, workspace, size):
    """80×24: ten lines of code and, under them, the failing check's diagnosis; 120×40: all of it."""
    app = _quiet(make_app())
    workspace.learner_file(app.catalog.exercise("chapter1/add")).write_text(ADD_WRONG)

    async def run_before(pilot):
        await pilot.press("enter", "ctrl+r")
        await _graded(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=size)


def test_results_panel_in_place_of_the_editor(snap_compare, make_app, workspace):
    app = _quiet(make_app())
    workspace.learner_file(app.catalog.exercise("chapter1/add")).write_text(ADD_WRONG)

    async def run_before(pilot):
        await pilot.press("enter", "ctrl+r")
        await _graded(pilot)
        await pilot.press("escape")
        await _settled(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SMALL)


@SIZES
def test_pass_prompts_for_the_next_exercise(snap_compare, make_app, workspace, size):
    app = _quiet(make_app())
    workspace.learner_file(app.catalog.exercise("chapter1/add")).write_text(ADD_SOLUTION)

    async def run_before(pilot):
        await pilot.press("enter", "ctrl+r")
        await _graded(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=size)


def test_loss_plot(snap_compare, make_app, workspace):
    app = _quiet(make_app())
    workspace.learner_file(app.catalog.exercise("chapter1/descent")).write_text(DESCENT_WRONG)

    async def run_before(pilot):
        await pilot.press("down", "enter", "ctrl+r")
        await _graded(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=MEDIUM)


@SIZES
def test_help_panel(snap_compare, make_app, size):
    async def run_before(pilot):
        await pilot.press("enter", "f1")
        await _settled(pilot)

    assert snap_compare(make_app(), run_before=run_before, terminal_size=size)


def test_reference_beside_yours(snap_compare, make_app, workspace):
    app = _quiet(make_app())
    workspace.learner_file(app.catalog.exercise("chapter1/add")).write_text(ADD_SOLUTION)

    async def run_before(pilot):
        await pilot.press("enter", "ctrl+r")
        await _graded(pilot)
        await pilot.press("ctrl+b")
        await _settled(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SMALL)
