"""One grading, several reports: `--format F [-o FILE]`, repeatable, as a CI job wants it
(JUnit for the test view, annotations on the diff, a JSON artefact)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from tutor.engine.errors import TutorError
from tutor.grader.results import Report

FORMATS = ("text", "json", "junit", "github", "gradescope")
# Formats a program reads whole: at most one of them can share standard output.
MACHINE = ("json", "junit", "gradescope")


class OutputError(TutorError):
    pass


@dataclass(frozen=True)
class OutputSpec:
    fmt: str
    path: Path | None = None  # None: standard output


def pair_outputs(sequence: list[tuple[str, str]]) -> list[OutputSpec]:
    """[("format", "junit"), ("output", "r.xml"), ...] in command-line order -> specs.

    Each -o FILE belongs to the last --format before it, unless that one has a file already;
    then to the next --format after it. So `--format junit -o r.xml --format github` and
    `-o r.xml --format junit` both mean what they say. No --format at all means text.
    """
    formats = [(i, v) for i, (kind, v) in enumerate(sequence) if kind == "format"]
    files = [(i, v) for i, (kind, v) in enumerate(sequence) if kind == "output"]
    for _, fmt in formats:
        if fmt not in FORMATS:
            raise OutputError(f"unknown --format {fmt!r} (choose from {', '.join(FORMATS)})")
    if not formats:
        formats = [(-1, "text")]
    if len(files) > len(formats):
        raise OutputError("each -o FILE needs its own --format (e.g. --format junit -o report.xml --format github)")
    paired: dict[int, str] = {}
    for pos, path in files:
        before = [i for i, _ in formats if i < pos]
        after = [i for i, _ in formats if i > pos and i not in paired]
        if before and before[-1] not in paired:
            paired[before[-1]] = path
        elif after:
            paired[after[0]] = path
        else:
            raise OutputError("each -o FILE needs its own --format")
    specs = [OutputSpec(fmt, Path(paired[i]) if i in paired else None) for i, fmt in formats]
    to_stdout = [s.fmt for s in specs if s.path is None and s.fmt in MACHINE]
    if len(to_stdout) > 1:
        raise OutputError(f"{' and '.join(to_stdout)} cannot both go to standard output; give one of them -o FILE")
    written = [os.path.realpath(s.path) for s in specs if s.path is not None]
    if len(set(written)) != len(written):
        raise OutputError("two formats cannot be written to the same file")
    return specs


def render(fmt: str, report: Report, *, locations=None, console: Console | None = None) -> str:
    from tutor.grader.reports import render_gradescope, render_json, render_junit, render_text
    from tutor.grader.reports.github import render_github

    if fmt == "text":
        text = render_text(report, console)
    elif fmt == "json":
        text = render_json(report)
    elif fmt == "junit":
        text = render_junit(report)
    elif fmt == "github":
        text = render_github(report, locations)
    elif fmt == "gradescope":
        text = render_gradescope(report)
    else:
        raise OutputError(f"unknown format {fmt!r}")
    return text if text.endswith("\n") else text + "\n"


def write_outputs(report: Report, specs: list[OutputSpec], *, locations=None) -> None:
    """Files first, then standard output. The text report goes to standard output as well
    unless it was asked for, or a format a program reads whole (json, junit, gradescope) has
    standard output."""
    for spec in specs:
        if spec.path is not None:
            spec.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = spec.path.with_name(f".{spec.path.name}.tmp{os.getpid()}")
            tmp.write_text(render(spec.fmt, report, locations=locations), encoding="utf-8")
            os.replace(tmp, spec.path)
    stdout = [s for s in specs if s.path is None]
    if not any(s.fmt in MACHINE for s in stdout) and not any(s.fmt == "text" for s in specs):
        stdout = [OutputSpec("text"), *stdout]
    # On a terminal the text report gets colour and the terminal's width; elsewhere plain 120 columns.
    terminal = Console(highlight=False) if sys.stdout.isatty() else None
    for spec in stdout:
        sys.stdout.write(render(spec.fmt, report, locations=locations, console=terminal if spec.fmt == "text" else None))
    sys.stdout.flush()
