"""Keys: leaving and re-entering the editor, the lesson, hints from anywhere, auto-indent, the palette."""

from tutor.tui.screens.exercise import ExerciseScreen
from tutor.tui.screens.home import HomeScreen

from .conftest import ADD_SOLUTION, footer_shows, screen_text, wait_for


async def test_escape_leaves_the_editor_and_e_returns(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        editor = screen.query_one("#editor")
        await pilot.press("tab")  # Tab indents: it does not leave
        assert editor.has_focus and editor.text.startswith("    ")
        await pilot.press("escape")
        assert screen.query_one("#results-table").has_focus and isinstance(app.screen, ExerciseScreen)
        await pilot.press("e")
        assert editor.has_focus and editor.text.startswith("    ")  # e was a key, not a letter typed
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_ctrl_l_puts_the_focus_in_the_lesson_wide_and_narrow(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        lesson = screen.query_one("#lesson")
        await pilot.press("ctrl+l")
        assert lesson.has_focus
        await pilot.press("ctrl+l")  # again: hide it, back to the editor
        assert not lesson.display and screen.query_one("#editor").has_focus
        await pilot.press("ctrl+l")
        assert lesson.display
        await wait_for(pilot, lambda: lesson.has_focus)
        await pilot.press("down")  # keys reach it: it scrolls
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        lesson = screen.query_one("#lesson")
        await pilot.press("ctrl+l")
        assert lesson.has_focus and lesson.display and not screen.query_one("#work").display
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: lesson.scroll_y > 0 or lesson.max_scroll_y == 0)  # it scrolls (animated)
        await pilot.press("ctrl+l")
        assert screen.query_one("#editor").has_focus and screen.query_one("#work").display


async def test_ctrl_g_shows_the_hints_tab_from_anywhere(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "escape")
        screen = app.screen
        assert screen.query_one("#results-table").has_focus
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert screen.query_one("#bottom").active == "hints"
        assert screen.query_one("#hints-scroll").has_focus  # not left on a hidden table
        assert "Hint 1/3" in str(screen.query_one("#hints-text").render())
        await pilot.press("e", "ctrl+g")  # from the editor too; the cursor stays in the file
        await pilot.pause()
        assert screen.query_one("#bottom").active == "hints" and screen.query_one("#editor").has_focus
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "ctrl+g")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#editor").has_focus and screen.query_one("#hints-text").region.height > 0
        assert "Hint 3/3" in screen_text(app)  # the third hint of this exercise: shown under the editor


async def test_enter_and_backspace_follow_python_indentation(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        editor = app.screen.query_one("#editor")
        editor.load_text("")
        await pilot.press(*"def f(x):", "enter", *"if x:", "enter", *"return 1", "enter", *"y = [", "enter",
                          *"2,", "enter", "backspace", *"]")
        assert editor.text == "def f(x):\n    if x:\n        return 1\n    y = [\n        2,\n    ]"


async def test_palette_lists_the_exercise_actions_and_runs_them(make_app, workspace):
    app = make_app()
    workspace.learner_file(app.catalog.exercise("chapter1/add")).write_text(ADD_SOLUTION)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        from tutor.tui.commands import ExerciseCommands

        provider = ExerciseCommands(screen)
        names = [text for text, _, _ in provider._entries()]
        for action in ("check (^r)", "hint (^g)", "lesson (^l)", "reference (^b)", "next (n)", "reset (f8)"):
            assert action in names, names
        assert names.index("check (^r)") < names.index("open chapter1/add — Add two tensors")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"check")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.last_result is not None)
        assert app.sessions[0].calls == ["chapter1/add"]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"next")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: getattr(app.screen, "exercise", None) is not None
                       and app.screen.exercise.id == "chapter1/descent")


async def test_the_reference_screen_says_how_to_leave(make_app, workspace):
    app = make_app()
    ex = app.catalog.exercise("chapter1/add")
    workspace.learner_file(ex).write_text(ADD_SOLUTION)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "ctrl+r")
        screen = app.screen
        await wait_for(pilot, lambda: screen.last_result is not None)
        await pilot.press("ctrl+b")
        await footer_shows(pilot, "esc back", "f1 help")
        await pilot.press("escape")
        assert app.screen is screen
