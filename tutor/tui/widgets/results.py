"""Results of one grading: a table of checks and the details of the highlighted one."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from tutor.engine.verdicts import as_verdict

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
            skip = m.group(1) != learner_file
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


class ResultsView(Vertical):
    """Summary line, one row per check, and the highlighted check's full story."""

    DEFAULT_CSS = """
    ResultsView { height: 1fr; }
    ResultsView #results-summary { height: 1; padding: 0 1; }
    ResultsView DataTable { height: auto; max-height: 11; overflow-x: hidden; }
    ResultsView #results-detail { height: 1fr; padding: 0 1; border-top: solid $panel; }
    """

    def __init__(self, learner_file: str = "", display: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.learner_file, self.display_name = learner_file, display
        self.checks: list = []  # CheckResult, by index where known
        self.result = None  # ExerciseResult of the last grading
        self.running: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("Not checked yet: press ctrl+r to check (every save is checked too).", id="results-summary")
        table = DataTable(id="results-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(" ", "check", "verdict", "message")
        yield table
        with VerticalScroll(id="results-detail"):
            yield Static("", id="results-detail-text")

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    def start(self) -> None:
        self.checks, self.result, self.running = [], None, None
        self.table.clear()
        self.query_one("#results-summary", Static).update(Text("checking…", style="bold yellow"))
        self.query_one("#results-detail-text", Static).update("")

    def check_started(self, index: int) -> None:
        self.running = index
        self.query_one("#results-summary", Static).update(Text(f"checking… running check {index + 1}", style="bold yellow"))

    def show(self, result) -> None:
        """A finished grading: every check, the summary, and the first failing check selected."""
        self.result, self.checks, self.running = result, list(result.checks), None
        table = self.table
        table.clear()
        for i, check in enumerate(self.checks):
            verdict = str(check.verdict)
            look = as_verdict(verdict).look
            message = _first_line(self._clean(check.message)) if verdict != "pass" else ""
            table.add_row(Text(look.icon, style=f"bold {look.colour}"), check.name, verdict_text(verdict), message,
                          key=str(i))
        passed = sum(str(c.verdict) == "pass" for c in self.checks)
        verdict = str(result.verdict)
        summary = Text.assemble(verdict_text(verdict), f"  {passed}/{len(self.checks)} checks pass · "
                                f"{result.duration_s:.2f} s")
        if result.note:
            summary.append(f" · {result.note}", style="dim")
        self.query_one("#results-summary", Static).update(summary)
        first_bad = next((i for i, c in enumerate(self.checks) if str(c.verdict) != "pass"), 0)
        if self.checks:
            table.move_cursor(row=first_bad)
            self.show_detail(first_bad)

    def failed(self, error: str) -> None:
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
            out.append(self._clean(check.message) + "\n")
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

    def show_detail(self, index: int) -> None:
        if 0 <= index < len(self.checks):
            self.query_one("#results-detail-text", Static).update(self.detail_text(index))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value is not None:
            self.show_detail(int(event.row_key.value))
