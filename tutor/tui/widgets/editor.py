"""The in-app editor: a Python TextArea bound to the learner's workspace file."""

from __future__ import annotations

import os
import re
from pathlib import Path

from textual import events
from textual.widgets import TextArea

CURSOR_BLINK = True  # tests turn it off so screenshots do not depend on timing
INDENT = 4
_ENDS_BLOCK = re.compile(r"^\s*(return|pass|raise|break|continue)\b")


def next_indent(line: str) -> str:
    """The indentation for the line after `line` (the text left of the cursor), Python-style."""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    code = line.split("#", 1)[0].rstrip()  # a '#' inside a string cuts it short: harmless here
    if code.endswith((":", "(", "[", "{")):
        return indent + " " * INDENT
    if _ENDS_BLOCK.match(line):
        return indent[:-INDENT] if len(indent) >= INDENT else ""
    return indent


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


class CodeEditor(TextArea):
    """Edits one file. `saved_text` is what the file held when last loaded or saved here.

    Python-aware typing: Enter keeps the indentation (one level more after a colon or an open
    bracket, one less after return/pass/raise/break/continue), Tab indents, Backspace in the
    indentation goes back one level. Escape leaves the editor (a binding of the exercise screen).
    """

    HELP = """\
## Your file

A plain Python file of your workspace. `Tab` indents and `Enter` keeps the indentation;
`ctrl+s` saves (and checks), `ctrl+z` undoes; `esc` leaves the editor for the results.
"""

    DEFAULT_CSS = """
    CodeEditor { height: 1fr; }
    """

    def __init__(self, path: Path, **kwargs) -> None:
        self.path = Path(path)
        self.saved_text = read_text(self.path)
        language = "python"
        try:
            from textual._tree_sitter import TREE_SITTER  # highlighting needs textual[syntax]

            language = "python" if TREE_SITTER else None
        except ImportError:  # pragma: no cover
            language = None
        super().__init__(self.saved_text, language=language, theme="monokai", soft_wrap=False,
                         tab_behavior="indent", show_line_numbers=True, **kwargs)
        self.cursor_blink = CURSOR_BLINK

    @property
    def dirty(self) -> bool:
        return self.text != self.saved_text

    def save(self) -> bool:
        """Write the buffer to the file (atomically). Returns whether anything changed on disk."""
        text = self.text
        if text == read_text(self.path):
            self.saved_text = text
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tui{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.path)
        self.saved_text = text
        return True

    def reload(self, text: str | None = None) -> None:
        """Show the file's current content (keeps the cursor where it can)."""
        text = read_text(self.path) if text is None else text
        cursor = self.cursor_location
        self.load_text(text)
        self.saved_text = text
        row = min(cursor[0], max(self.document.line_count - 1, 0))
        self.move_cursor((row, cursor[1]))

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" and not self.read_only:
            event.stop()
            event.prevent_default()
            start, end = self.selection
            top = min(start, end)
            line = self.document.get_line(top[0])[: top[1]]
            self.replace("\n" + next_indent(line), start, end, maintain_selection_offset=False)
            return
        await super()._on_key(event)

    def action_delete_left(self) -> None:
        """Backspace in the indentation removes one level, not one space."""
        start, end = self.selection
        row, col = end
        before = self.document.get_line(row)[:col]
        if start == end and col and not before.strip(" ") and not self.read_only:
            width = (col - 1) % INDENT + 1
            self.delete((row, col - width), (row, col), maintain_selection_offset=False)
            return
        super().action_delete_left()
