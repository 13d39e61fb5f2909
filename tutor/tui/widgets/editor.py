"""The in-app editor: a Python TextArea bound to the learner's workspace file."""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import TextArea

CURSOR_BLINK = True  # tests turn it off so screenshots do not depend on timing


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


class CodeEditor(TextArea):
    """Edits one file. `saved_text` is what the file held when last loaded or saved here."""

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
