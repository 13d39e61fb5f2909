"""The in-app editor saves to disk; outside saves are picked up and re-graded; hints; reset; reference."""

from tutor.tui.screens.confirm import ConfirmScreen
from tutor.tui.screens.exercise import ExerciseScreen
from tutor.tui.screens.reference import ReferenceScreen

from .conftest import ADD_SOLUTION, ADD_WRONG, screen_text, wait_for


async def test_typing_and_ctrl_s_saves_the_workspace_file_and_checks(make_app, workspace):
    app = make_app()
    ex = app.catalog.exercise("chapter1/add")
    path = workspace.learner_file(ex)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        editor = screen.query_one("#editor")
        assert editor.has_focus
        editor.select_all()
        await pilot.press("delete")
        await pilot.press(*"def add(a, b):", "enter", *"return a + b")  # Enter indents after the colon
        assert "● unsaved" in str(screen.query_one("#file-bar").render())
        assert "NotImplementedError" in path.read_text()  # not on disk until saved
        await pilot.press("ctrl+s")
        assert path.read_text() == "def add(a, b):\n    return a + b"
        await wait_for(pilot, lambda: screen.last_result is not None)
        assert app.sessions[0].calls == ["chapter1/add"]
        assert str(screen.last_result.verdict) == "pass"
        await pilot.pause(0.3)  # our own save is not mistaken for an outside one
        assert app.sessions[0].calls == ["chapter1/add"]


async def test_a_save_from_another_editor_reloads_and_regrades(make_app, workspace):
    app = make_app()
    ex = app.catalog.exercise("chapter1/add")
    path = workspace.learner_file(ex)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        path.write_text(ADD_WRONG)
        await wait_for(pilot, lambda: screen.last_result is not None)
        assert screen.query_one("#editor").text == ADD_WRONG
        assert str(screen.last_result.verdict) == "error"
        assert app.sessions[0].calls == ["chapter1/add"]


async def test_outside_change_never_overwrites_unsaved_edits(make_app, workspace):
    app = make_app()
    path = workspace.learner_file(app.catalog.exercise("chapter1/add"))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        editor = screen.query_one("#editor")
        editor.insert("# my unsaved note\n", (0, 0))
        path.write_text(ADD_SOLUTION)
        await wait_for(pilot, lambda: "changed on disk" in str(screen.query_one("#file-bar").render()))
        await pilot.pause(0.3)
        assert editor.text.startswith("# my unsaved note\n")
        assert app.sessions == []  # nothing graded behind the learner's back


async def test_changed_on_disk_stays_in_the_file_bar_until_a_save(make_app, workspace):
    from tutor.tui.messages import KernelsProgress

    app = make_app()
    path = workspace.learner_file(app.catalog.exercise("chapter1/add"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        bar = lambda: str(screen.query_one("#file-bar").render())
        editor = screen.query_one("#editor")
        editor.insert("# my unsaved note\n", (0, 0))
        path.write_text(ADD_SOLUTION)
        await wait_for(pilot, lambda: "changed on disk" in bar())
        await pilot.press("x")  # more typing, and news from the kernels, keep the warning
        app.kernels = KernelsProgress("compiling", 3, 10, "pool2d (float32)")
        screen.post_message(KernelsProgress("compiling", 3, 10, "pool2d (float32)"))
        await wait_for(pilot, lambda: "kernels 3/10" in bar())
        assert "changed on disk" in bar()
        assert "changed on disk" in screen_text(app).splitlines()[1]  # within 80 columns
        await pilot.press("ctrl+s")  # the learner's version wins and is checked
        await wait_for(pilot, lambda: screen.last_result is not None)
        assert "changed on disk" not in bar()
        assert path.read_text().startswith("# my unsaved note\nx")


async def test_hints_are_revealed_one_at_a_time_and_counted(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        text = lambda: str(screen.query_one("#hints-text").render())
        assert "Press ctrl+g for the first" in text()
        await pilot.press("ctrl+g")
        assert screen.query_one("#bottom").active == "hints"
        assert "Hint 1/3" in text() and "Addition is elementwise." in text() and "Hint 2/3" not in text()
        assert app.store.hints_taken("chapter1/add") == 1
        await pilot.press("ctrl+g", "ctrl+g")
        assert "Hint 3/3" in text() and "return a + b" in text()
        await pilot.press("ctrl+g")  # no fourth hint: not counted again
        assert app.store.hints_taken("chapter1/add") == 3 and app.store.hint_level("chapter1/add") == 3


async def test_reset_asks_first_and_keeps_a_backup(make_app, workspace):
    app = make_app()
    ex = app.catalog.exercise("chapter1/add")
    path = workspace.learner_file(ex)
    path.write_text(ADD_WRONG)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("enter", "f8")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        assert path.read_text() == ADD_WRONG
        await pilot.press("f8")
        await pilot.click("#confirm-yes")
        await wait_for(pilot, lambda: path.read_text() == ex.starter)  # the dialog's answer is a message
        assert isinstance(app.screen, ExerciseScreen)
        assert app.screen.query_one("#editor").text == ex.starter
        [backup] = list(workspace.backup_dir.rglob("add-*.py"))
        assert backup.read_text() == ADD_WRONG


async def test_reference_opens_only_after_a_pass(make_app, workspace):
    app = make_app()
    ex = app.catalog.exercise("chapter1/add")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("enter", "ctrl+b")
        assert isinstance(app.screen, ExerciseScreen)  # refused before a pass
        workspace.learner_file(ex).write_text(ADD_SOLUTION)
        screen = app.screen
        await wait_for(pilot, lambda: screen.last_result is not None)
        assert str(screen.last_result.verdict) == "pass"
        await pilot.press("ctrl+b")
        assert isinstance(app.screen, ReferenceScreen)
        assert app.screen.query_one("#mine").text == ADD_SOLUTION
        assert app.screen.query_one("#theirs").text == ex.reference_path.read_text()
        assert "The reference is one line: a + b." in str(app.screen.query_one("#compare-note").render())
        await pilot.press("escape")
        assert isinstance(app.screen, ExerciseScreen)


async def test_external_editor_is_refused_gracefully_when_headless(make_app, monkeypatch):
    monkeypatch.setenv("EDITOR", "true")
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("enter", "ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert any("could not open $EDITOR" in n.message for n in app._notifications)
