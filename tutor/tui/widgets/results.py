"""Results of one grading: a table of checks and the details of the highlighted one."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from tutor.engine.verdicts import as_verdict, legend

def verdict_text(verdict: str) -> Text:
    v = as_verdict(verdict)
    return Text(f"{v.icon} {v.label}", style=f"bold {v.colour}")


_FRAME = re.compile(r'^\s*File "([^"]+)", line \d+')


def trim_traceback(text: str, learner_file: str, display: str) -> str:
    """Keep only the learner's own frames of a traceback and show their file as in the workspace."""
    lines = text.splitlines()
    out, skip = [], False
    for line in lines:
        m = _FRAME.match(line)
        if m:
            skip = m.group(1) not in (learner_file, display)
            if skip:
                continue
        elif skip and line.startswith("    "):
            continue  # the source line (and carets) of a skipped frame
        else:
            skip = False
        out.append(line)
    return "\n".join(out).replace(learner_file, display)


def _first_line(text: str, width: int = 90) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


_CARET = re.compile(r"^\s+[\^~]+\s*$")


def _keep_code_lines(message: str, width: int) -> str:
    """Fit a traceback's source line and its caret line into `width` columns without wrapping
    (a wrapped source line would leave the caret under the wrong column): both are cut, and
    shifted left together when the caret lies beyond the edge."""
    lines = message.splitlines()
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        if _FRAME.match(line) and i + 1 < len(lines) and lines[i + 1].startswith("    "):
            source = lines[i + 1]
            caret = lines[i + 2] if i + 2 < len(lines) and _CARET.match(lines[i + 2]) else None
            out.append(line)
            shift = 0
            if caret is not None:
                column = len(caret) - len(caret.lstrip())
                if column >= width - 4:
                    shift = column - (width - 4) + min(20, width // 3)
            pair = [source] + ([caret] if caret is not None else [])
            for n, text in enumerate(pair):
                if shift:
                    text = ("    …" if n == 0 else "     ") + text[4 + shift + 1:]
                if len(text) > width:
                    text = text[: width - 1] + "…"
                out.append(text)
            i += 1 + len(pair)
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


class ResultsView(Vertical):
    """Summary line, one row per check, and the highlighted check's full story.

    Below 70 columns the message column is left out (the detail below tells it in full), and
    on a narrow terminal, while the learner edits, only the summary and the detail of the
    first failing check show under the editor (see tutor.tcss).
    """

    HELP = f"""\
## Results

One row per check. Highlight a row (↑ ↓) to read its message, the failing input, the
largest difference from the reference and, when the grader recognises your mistake, its
diagnosis. Tracebacks show only the lines of your own file.

**Verdicts** {legend()}.
"""

    DEFAULT_CSS = """
    ResultsView { height: 1fr; }
    ResultsView #results-summary { height: auto; padding: 0 1; }
    ResultsView DataTable { height: auto; max-height: 11; overflow-x: hidden; }
    ResultsView.failing DataTable { max-height: 6; }
    ResultsView #results-detail { height: 1fr; min-height: 3; padding: 0 1; border-top: solid $panel; }
    """

    def __init__(self, learner_file: str = "", display: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.learner_file, self.display_name = learner_file, display
        self.checks: list = []  # CheckResult, by index where known
        self.result = None  # ExerciseResult of the last grading
        self.running: int | None = None
        self.narrow = False
        self._shown_layout: tuple[bool, int] = (True, 0)
        self.next_exercise = None
        self.all_done = False
        self.editing = False  # the learner types in the editor (set by the screen as focus moves)
        self._summary: Text | None = None  # the last grading's summary line, without the prompt

    def compose(self) -> ComposeResult:
        yield Static("Not checked yet: press ctrl+r to check (every save is checked too).", id="results-summary")
        table = DataTable(id="results-table", cursor_type="row", zebra_stripes=True)
        self._columns(table)
        yield table
        with VerticalScroll(id="results-detail"):
            yield Static("", id="results-detail-text")

    def _layout(self, width: int) -> tuple[bool, int]:
        """(message column shown, check column width) for this many columns: the check's name
        is cut before the verdict is; below 70 columns the detail alone tells the message."""
        longest = max((len(c.name) for c in self.checks), default=20)
        if width <= 0:
            return not self.narrow, longest
        if width >= 70:
            return True, max(5, min(longest, max(24, (width - 16) // 2)))
        return False, max(5, min(longest, width - 17))

    def _columns(self, table: DataTable, layout: tuple[bool, int] | None = None) -> None:
        message, check_width = layout or self._layout(self.size.width)
        table.clear(columns=True)
        table.add_column(" ", key="icon")
        table.add_column("check", key="check", width=check_width)
        table.add_column("verdict", key="verdict")
        if message:
            table.add_column("message", key="message")
        self._shown_layout = (message, check_width)

    def set_narrow(self, narrow: bool) -> None:
        """The terminal is narrow (used until this view knows its own width)."""
        self.narrow = narrow

    def on_resize(self, event) -> None:
        if self._layout(event.size.width) != self._shown_layout and self.result is not None:
            self.show(self.result, next_exercise=self.next_exercise, all_done=self.all_done)

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    def _set_state(self, state: str) -> None:
        for name in ("failing", "passing"):
            self.set_class(name == state, name)

    def clear(self, summary: str) -> None:
        """Nothing to show (e.g. after a reset): no table, no detail, just `summary`."""
        self.checks, self.result, self.running, self._summary = [], None, None, None
        self.table.clear()
        self._set_state("")
        self.query_one("#results-summary", Static).update(Text(summary, style="dim"))
        self.query_one("#results-detail-text", Static).update("")

    def start(self) -> None:
        self.checks, self.result, self.running, self._summary = [], None, None, None
        self.table.clear()
        self._set_state("")
        self.query_one("#results-summary", Static).update(Text("checking…", style="bold yellow"))
        self.query_one("#results-detail-text", Static).update("")

    def check_started(self, index: int) -> None:
        self.running = index
        self.query_one("#results-summary", Static).update(Text(f"checking… running check {index + 1}", style="bold yellow"))

    def show(self, result, *, next_exercise=None, all_done: bool = False) -> None:
        """A finished grading: every check, the summary, and the first failing check selected.

        After a pass the summary says what comes next: `next_exercise` (or that all pass).
        """
        self.result, self.checks, self.running = result, list(result.checks), None
        self.next_exercise, self.all_done = next_exercise, all_done
        table = self.table
        self._columns(table)
        message_column, check_width = self._shown_layout
        labels = max((len(verdict_text(str(c.verdict))) for c in self.checks), default=6)
        # icon, check and verdict columns with their padding, and the scrollbar
        room = max(12, (self.size.width or 120) - 3 - (check_width + 2) - (labels + 2) - 2 - 2)
        for i, check in enumerate(self.checks):
            verdict = str(check.verdict)
            look = as_verdict(verdict).look
            cells = [Text(look.icon, style=f"bold {look.colour}"), _first_line(check.name, check_width),
                     verdict_text(verdict)]
            if message_column:
                cells.append(_first_line(self._clean(check.message), room) if verdict != "pass" else "")
            table.add_row(*cells, key=str(i))
        passed = sum(str(c.verdict) == "pass" for c in self.checks)
        verdict = str(result.verdict)
        self._set_state("passing" if verdict == "pass" else "failing")
        summary = Text.assemble(verdict_text(verdict), f"  {passed}/{len(self.checks)} checks pass · "
                                f"{result.duration_s:.2f} s")
        if result.note:
            summary.append(f" · {result.note}", style="dim")
        self._summary = summary
        self._show_summary()
        first_bad = next((i for i, c in enumerate(self.checks) if str(c.verdict) != "pass"), 0)
        if self.checks:
            table.move_cursor(row=first_bad)
            self.show_detail(first_bad)

    def set_editing(self, editing: bool) -> None:
        """Whether the learner is in the editor: there `n` types an n, so the prompt says ctrl+n."""
        if editing != self.editing:
            self.editing = editing
            self._show_summary()

    def _show_summary(self) -> None:
        if self.result is None or self._summary is None:
            return
        summary = self._summary.copy()
        if str(self.result.verdict) == "pass":
            summary.append_text(self.next_prompt())
        self.query_one("#results-summary", Static).update(summary)

    def next_prompt(self) -> Text:
        out = Text("\n")
        if self.next_exercise is not None:
            ex = self.next_exercise
            out.append("ctrl+n" if self.editing else "n", style="bold reverse")
            out.append(" next exercise: ")
            out.append(ex.id, style="bold")
            out.append(f" — {ex.title}")
        else:
            out.append("Every exercise passes. Well done!", style="bold green")
        out.append("\n")
        out.append("ctrl+b", style="bold reverse")
        out.append(" the reference beside yours")
        if not self.editing:
            out.append("   ")
            out.append("e", style="bold reverse")
            out.append(" keep editing")
        return out

    def failed(self, error: str) -> None:
        self._set_state("failing")
        self.query_one("#results-summary", Static).update(Text("the grader could not run", style="bold red"))
        self.query_one("#results-detail-text", Static).update(Text(error))

    def _clean(self, text: str) -> str:
        if self.learner_file:
            return trim_traceback(text or "", self.learner_file, self.display_name)
        return text or ""

    def detail_text(self, index: int) -> Text:
        check = self.checks[index]
        verdict = str(check.verdict)
        out = Text()
        out.append(check.name, style="bold")
        out.append("  ")
        out.append_text(verdict_text(verdict))
        out.append(f"  ({check.kind}, {check.duration_s:.2f} s)\n", style="dim")
        if check.diagnosis:
            out.append("diagnosis: ", style="bold magenta")
            out.append(f"{check.diagnosis}\n", style="magenta")
        if check.message and verdict != "pass":
            out.append(_keep_code_lines(self._clean(check.message), self._text_width()) + "\n")
        details = check.details or {}
        labels = [("input", "failing input"), ("expected", "expected"), ("got", "got")]
        for key, label in labels:
            if key in details:
                out.append(f"{label}: ", style="bold")
                out.append(f"{details[key]}\n")
        if "max_abs_diff" in details:
            out.append("largest difference: ", style="bold")
            out.append(f"{details['max_abs_diff']:.3g} at index {tuple(details.get('max_abs_index', ()))}")
            if "mismatched" in details:
                out.append(f" ({details['mismatched']} of {details.get('total', '?')} values differ)")
            out.append("\n")
        if "learner" in details and "reference" in details and check.kind == "training":
            out.append("final value: ", style="bold")
            out.append(f"yours {details['learner']:.6g}, reference {details['reference']:.6g}\n")
        if check.output:
            out.append("output:\n", style="bold")
            out.append(check.output[-2000:] + "\n", style="dim")
        if index == len(self.checks) - 1 and self.result is not None and self.result.output.strip():
            out.append("\nwhat your code printed:\n", style="bold")
            out.append(self.result.output[-3000:], style="dim")
        return out

    def _text_width(self) -> int:
        width = self.size.width - 4  # the detail's padding and scrollbar
        return width if width >= 30 else 200

    def show_detail(self, index: int) -> None:
        if 0 <= index < len(self.checks):
            self.query_one("#results-detail-text", Static).update(self.detail_text(index))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value is not None:
            self.show_detail(int(event.row_key.value))
