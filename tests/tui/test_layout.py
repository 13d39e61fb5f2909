"""The exercise screen from 80×24 up: the failing check's diagnosis is readable without
scrolling past the table, the editor keeps at least 10 lines, the footer keeps help and back."""

import pytest

from tutor.tui.screens.exercise import ExerciseScreen

from .conftest import ADD_WRONG, footer_shows, screen_text, visible_rows, wait_for

DIAGNOSIS = "You subtract b from a instead of adding them."


async def _failing(pilot, app, workspace):
    workspace.learner_file(app.catalog.exercise("chapter1/add")).write_text(ADD_WRONG)
    await pilot.press("enter", "ctrl+r")
    screen = app.screen
    await wait_for(pilot, lambda: screen.last_result is not None)
    await pilot.pause(0.1)
    return screen


async def test_at_80x24_the_editor_and_the_diagnosis_share_the_screen(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _failing(pilot, app, workspace)
        assert screen.has_class("narrow") and screen.query_one("#editor").has_focus
        editor = screen.query_one("#editor")
        assert visible_rows(editor) - 2 >= 10  # ten lines of code inside the border
        text = screen_text(app)
        assert "diagnosis: add.subtracts" in text and DIAGNOSIS in text
        assert "✗ fail" in text and "0/2 checks pass" in text
        # no table to scroll past while editing: the detail of the first failing check comes first
        assert visible_rows(screen.query_one("#results-table")) == 0
        await footer_shows(pilot, "f1 help", "esc leave editor")


async def test_at_80x24_esc_opens_the_results_in_place_of_the_editor(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _failing(pilot, app, workspace)
        await pilot.press("escape")
        assert screen.query_one("#results-table").has_focus
        assert not screen.query_one("#editor").display and screen.has_class("pane-panel")
        text = screen_text(app)
        assert "small example" in text and "random 3×4" in text  # the table
        assert DIAGNOSIS in text  # and the detail of the highlighted (first failing) check
        assert visible_rows(screen.query_one("#results-detail")) >= 6
        await footer_shows(pilot, "esc back", "e edit", "f1 help")
        await pilot.press("down")  # the other check: its error, with the learner's own line
        assert "ZeroDivisionError" in screen_text(app)
        await pilot.press("e")
        assert screen.query_one("#editor").has_focus and visible_rows(screen.query_one("#editor")) >= 12
        await pilot.press("escape", "escape")
        assert not isinstance(app.screen, ExerciseScreen)


@pytest.mark.parametrize("size", [(120, 40), (160, 48)], ids=["120x40", "160x48"])
async def test_wide_terminals_show_lesson_editor_table_and_detail_together(make_app, workspace, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await _failing(pilot, app, workspace)
        assert not screen.has_class("narrow")
        assert visible_rows(screen.query_one("#lesson")) > 10
        assert visible_rows(screen.query_one("#editor")) - 2 >= 10
        assert visible_rows(screen.query_one("#results-table")) >= 3  # header and both checks
        assert visible_rows(screen.query_one("#results-detail")) >= 8  # the detail comes before more rows
        text = screen_text(app)
        assert DIAGNOSIS in text and "failing input:" in text
        await footer_shows(pilot, "f1 help")


async def test_a_syntax_error_is_shown_once_with_its_line_and_caret(make_app, workspace):
    """The detail keeps the source line and the caret under the right column, whatever the width."""
    from tutor.grader.results import CheckResult, ExerciseResult, Verdict

    app = make_app()
    line = "    return -(a.log_softmax(dim=-1)[torch.arange(len(b)), b].mean(" + " " * 0
    message = ("SyntaxError: '(' was never closed (chapter1/add.py, line 5)\n"
               '  File "chapter1/add.py", line 5\n' + line + "\n" + " " * (len(line) - 1) + "^")
    result = ExerciseResult("chapter1/add", "Add two tensors", [
        CheckResult("small example", Verdict.ERROR, message),
        CheckResult("random 3×4", Verdict.ERROR, "not run: your file does not import")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "escape")
        screen = app.screen
        screen.query_one("#results-view").show(result)
        await pilot.pause()
        text = screen_text(app).splitlines()
        source = next(i for i, row in enumerate(text) if ".mean(" in row)
        caret = text[source + 1]
        assert caret.strip().startswith("^")
        # the caret stands under the last character of the source line shown, as in the file
        assert caret.index("^") == text[source].rstrip().rstrip("│▁▂▃▄▅▆▇█ ").rindex("(")
        await pilot.press("down")
        assert "not run: your file does not import" in screen_text(app)
