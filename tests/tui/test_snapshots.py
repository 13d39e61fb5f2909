"""Snapshots of the main screens (pytest-textual-snapshot), wide and narrow.

Update after a deliberate change with: pytest tests/tui/test_snapshots.py --snapshot-update
"""

import pytest

from .conftest import ADD_WRONG, DESCENT_WRONG, wait_for

pytest.importorskip("pytest_textual_snapshot")

WIDE, NARROW = (160, 48), (80, 24)


async def _graded(pilot):
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.last_result is not None)
    await pilot.pause()


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["160x48", "80x24"])
def test_home(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size)


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["160x48", "80x24"])
def test_exercise_lesson_and_editor(snap_compare, make_app, size):
    assert snap_compare(make_app(), press=["enter"], terminal_size=size)


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
