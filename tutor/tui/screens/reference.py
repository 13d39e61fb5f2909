"""After a pass: the reference solution beside the learner's own, with the lesson's note."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static, TextArea

from tutor.tui.widgets.editor import read_text


class ReferenceScreen(Screen[None]):
    HELP = """\
## The reference

Your file on the left, the reference on the right, both read-only. `Tab` moves between them;
`esc` (or `q`, or `ctrl+b` again) goes back to your exercise.
"""
    BINDINGS = [
        Binding("escape", "app.pop_screen", "back", priority=True, tooltip="back to your exercise"),
        Binding("q,ctrl+b", "app.pop_screen", "back", show=False),
        Binding("tab", "app.focus_next", "other side", tooltip="yours / the reference"),
        Binding("f1", "app.help", "help", tooltip="show or hide this panel"),
    ]

    def __init__(self, exercise, learner_file) -> None:
        super().__init__()
        self.exercise, self.learner_file = exercise, learner_file

    def compose(self) -> ComposeResult:
        ex = self.exercise
        yield Header()
        note = ex.compare_note or "Compare the two: where do they differ, and why does each work?"
        yield Static(f"[b]What to compare[/b]: {note}", id="compare-note", markup=True)
        with Horizontal(id="side-by-side"):
            with Vertical(classes="side"):
                yield Label(f"yours: {ex.workspace_path}", classes="side-title")
                yield TextArea.code_editor(read_text(self.learner_file), language=_lang(), read_only=True,
                                           id="mine")
            with Vertical(classes="side"):
                yield Label("reference", classes="side-title")
                yield TextArea.code_editor(read_text(ex.reference_path), language=_lang(), read_only=True,
                                           id="theirs")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"{self.exercise.id} — reference"


def _lang() -> str | None:
    try:
        from textual._tree_sitter import TREE_SITTER

        return "python" if TREE_SITTER else None
    except ImportError:  # pragma: no cover
        return None
