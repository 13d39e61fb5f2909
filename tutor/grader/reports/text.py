"""Human report: a rich table per exercise, one line per check, with the diagnosis."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from tutor.engine.text import printable
from tutor.grader.results import ExerciseResult, Report, Verdict

def verdict_text(verdict: Verdict) -> Text:
    return Text(f"{verdict.icon} {verdict.label}", style=f"bold {verdict.colour}")


def exercise_renderable(result: ExerciseResult, *, show_passing_messages: bool = False):
    table = Table(title=printable(f"{result.exercise}  {result.title}"), title_justify="left", show_header=True,
                  expand=False, header_style="bold")
    table.add_column("check", ratio=2, overflow="fold")
    table.add_column("verdict", no_wrap=True)
    table.add_column("message", ratio=5, overflow="fold")
    explained: set[str] = set()
    for check in result.checks:
        message = Text()
        text = check.message
        if check.diagnosis:
            message.append(f"[{printable(check.diagnosis)}] ", style="bold yellow")
            # The misconception is explained once per exercise; later checks show their evidence.
            if check.diagnosis in explained and check.evidence:
                text = f"same mistake as above: {check.evidence}"
            explained.add(check.diagnosis)
        if check.verdict is not Verdict.PASS or show_passing_messages or check.kind == "training":
            message.append(_trim(text))
        table.add_row(printable(check.name), verdict_text(check.verdict), message)
    parts = [table]
    from tutor.grader.reports.chart import training_charts

    parts.extend(training_charts(result))
    summary = Text.assemble(("  verdict: ", "bold"), verdict_text(result.verdict),
                            f"   score {result.score:.2f}   {result.duration_s:.2f} s")
    if result.note:
        summary.append(f"   note: {printable(result.note)}", style="dim")
    parts.append(summary)
    if result.output.strip() and result.verdict is not Verdict.PASS:
        parts.append(Text("  your program printed:\n" + _indent(_trim(result.output, 1200)), style="dim"))
    return Group(*parts)


def _trim(text: str, limit: int = 1500) -> str:
    # Learner text: escape what a terminal would act on (escape sequences) or cannot encode.
    text = printable(text)
    return text if len(text) <= limit else text[:limit] + " …"


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def render_text(report: Report, console: Console | None = None) -> str:
    console = console or Console(record=True, width=120, force_terminal=False)
    with console.capture() as capture:
        for result in report.results:
            console.print(exercise_renderable(result))
            console.print()
        console.print(Text.assemble(("passed ", "bold"), f"{report.passed}/{len(report.results)} exercises",
                                    f"   score {report.score:.2f}"))
    return capture.get()
