"""Home, opening an exercise, going back, the command palette, help and narrow layouts."""

from tutor.tui.screens.exercise import ExerciseScreen
from tutor.tui.screens.home import HomeScreen

from .conftest import ADD_SOLUTION, wait_for


async def test_home_lists_chapters_progress_and_status(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        tree = app.screen.query_one("#exercise-tree")
        [chapter] = tree.root.children
        assert "Chapter 1" in str(chapter.label) and "Fixture Basics" in str(chapter.label) and "0/2" in str(chapter.label)
        labels = [str(n.label) for n in chapter.children]
        assert labels == ["○ Add two tensors  not started", "○ Gradient descent step  not started"]
        assert "0/2 exercises passing" in str(app.screen.query_one("#overall-text").render())
        # nothing touched yet: the cursor waits on the first exercise not passing
        assert tree.cursor_node.data.id == "chapter1/add"


async def test_home_opens_where_the_learner_left_off_and_shows_status(make_app, workspace):
    app = make_app()
    workspace.learner_file(app.catalog.exercise("chapter1/add")).write_text(ADD_SOLUTION)
    app.store.take_hint("chapter1/descent", 3)  # the last thing the learner did
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one("#exercise-tree")
        assert tree.cursor_node.data.id == "chapter1/descent"
        await pilot.press("up", "enter")
        assert isinstance(app.screen, ExerciseScreen) and app.screen.exercise.id == "chapter1/add"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: app.screen.last_result is not None)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.pause()
        tree = app.screen.query_one("#exercise-tree")
        assert "✓ Add two tensors  passing" in [str(n.label) for n in tree.root.children[0].children]
        assert "1/2 exercises passing" in str(app.screen.query_one("#overall-text").render())
        assert tree.cursor_node.data.id == "chapter1/add"


async def test_mouse_opens_an_exercise(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one("#exercise-tree")
        await pilot.click("#exercise-tree", offset=(6, 3))  # border, chapter, add, descent
        await pilot.pause()
        if not isinstance(app.screen, ExerciseScreen):  # first click highlights, second selects
            await pilot.click("#exercise-tree", offset=(6, 3))
            await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert app.screen.exercise.id == tree.cursor_node.data.id == "chapter1/descent"


async def test_command_palette_jumps_to_an_exercise(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"descent")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        assert app.screen.exercise.id == "chapter1/descent"
        # and from one exercise straight to another
        app.open_exercise("chapter1/add")
        await pilot.pause()
        assert app.screen.exercise.id == "chapter1/add"
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["HomeScreen", "ExerciseScreen"]


def described_rows(rows, action: str) -> int:
    return next(i for i, (_, desc) in enumerate(rows) if str(desc).split(" ")[0] == action)


async def test_f1_toggles_textuals_help_panel_built_from_the_bindings(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        [panel] = app.screen.query("HelpPanel")
        keys = str(panel.query_one("KeysTable").render_bindings_table().columns[0]._cells)
        assert "n" in keys and "q" in keys  # the home screen's own keys
        await pilot.press("f1")
        assert not app.screen.query("HelpPanel")
        await pilot.press("enter", "f1")
        panel = app.screen.query_one("HelpPanel")
        table = panel.query_one("KeysTable").render_bindings_table()
        rows = list(zip(table.columns[0]._cells, table.columns[1]._cells))
        described = {str(desc).split(" ")[0]: str(key) for key, desc in rows}
        # every binding of the exercise screen is there, with its key, the tutor's own keys first
        for action in ("check", "hint", "lesson", "save", "reset", "results", "hints"):
            assert action in described, described
        assert described["check"] == "^r" and described["hint"] == "^g"
        first = [str(desc) for _, desc in rows[:4]]
        assert first[0].startswith("leave editor"), first
        focus_previous = next(i for i, (_, desc) in enumerate(rows) if str(desc).startswith("Focus Previous"))
        assert focus_previous > described_rows(rows, "reset"), rows  # Textual's own keys after the tutor's
        # the focused editor's help (the panel follows the focus through a watch: wait for it)
        await wait_for(pilot, lambda: "`Tab` indents" in panel.query_one("#widget-help").source)
        await pilot.press("f1")
        assert not app.screen.query("HelpPanel")


async def test_exercise_screen_shows_lesson_signature_and_editor(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        lesson = screen.query_one("#lesson-md")
        assert "def add(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:" in lesson.source
        assert '"""Elementwise sum of a and b."""' in lesson.source
        assert "cᵢⱼ = aᵢⱼ + bᵢⱼ" in lesson.source  # $c_{ij} = ...$ made readable
        editor = screen.query_one("#editor")
        assert editor.text == workspace.learner_file(screen.exercise).read_text()
        assert editor.language == "python"
        assert screen.query_one("#lesson").display


async def test_narrow_terminal_takes_turns_between_lesson_and_editor(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert screen.has_class("narrow")
        assert not screen.query_one("#lesson").display and screen.query_one("#work").display
        await pilot.press("ctrl+l")
        assert screen.query_one("#lesson").display and not screen.query_one("#work").display
        await pilot.press("ctrl+l")
        assert screen.query_one("#work").display


async def test_home_comes_back_on_the_exercise_just_visited(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"descent")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        await pilot.press("escape", "escape")  # out of the editor, then back to the list
        await pilot.pause()
        assert app.screen.query_one("#exercise-tree").cursor_node.data.id == "chapter1/descent"
