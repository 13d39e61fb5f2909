"""Snapshots of the main screens (pytest-textual-snapshot), wide and narrow.

Update after a deliberate change with: pytest tests/tui/test_snapshots.py --snapshot-update
"""

import pytest

from .conftest import ADD_WRONG, DESCENT_WRONG, wait_for

pytest.importorskip("pytest_textual_snapshot")

WIDE, NARROW = (160, 48), (80, 24)


async def _settled(pilot):
    """Wait until the lesson's markdown is rendered (it renders asynchronously) and animations end."""
    screen = pilot.app.screen
    for area in screen.query("TextArea"):
        area.cursor_blink = False  # a blinking cursor would make the snapshot depend on timing
    if screen.query("#lesson-md"):
        await wait_for(pilot, lambda: len(screen.query_one("#lesson-md").children) > 0)
    if screen.query("#editor"):
        screen.query_one("#editor").focus()
    await pilot.wait_for_scheduled_animations()
    # then until two screenshots in a row agree (under load, widgets lay out a few frames late)
    previous = None
    for _ in range(50):
        await pilot.pause(0.1)
        current = pilot.app.export_screenshot()
        if current == previous:
            break
        previous = current


async def _opened(pilot):
    await pilot.press("enter")
    await _settled(pilot)


async def _graded(pilot):
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.last_result is not None)
    await _settled(pilot)


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["160x48", "80x24"])
def test_home(snap_compare, make_app, size):
    assert snap_compare(make_app(), run_before=_settled, terminal_size=size)


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["160x48", "80x24"])
def test_exercise_lesson_and_editor(snap_compare, make_app, size):
    assert snap_compare(make_app(), run_before=_opened, terminal_size=size)


def test_results_with_diagnosis(snap_compare, make_app, workspace):
    app = make_app()
    workspace.learner_file(app.catalog.exercise("chapter1/add")).write_text(ADD_WRONG)

    async def run_before(pilot):
        await pilot.press("enter", "ctrl+r")
        await _graded(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=WIDE)


def test_loss_plot(snap_compare, make_app, workspace):
    app = make_app()
    workspace.learner_file(app.catalog.exercise("chapter1/descent")).write_text(DESCENT_WRONG)

    async def run_before(pilot):
        await pilot.press("down", "enter", "ctrl+r")
        await _graded(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=WIDE)


def test_help(snap_compare, make_app):
    assert snap_compare(make_app(), press=["f1"], terminal_size=WIDE)
