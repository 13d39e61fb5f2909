"""Verdicts and how every surface shows them: one table for the text report, `tutor list`,
the TUI and the CI formats, so the label, icon and colour of a verdict never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    """Worst first: an exercise takes its worst check's verdict."""

    FORBIDDEN = "forbidden"
    CRASH = "crash"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    ERROR = "error"
    FAIL = "fail"
    NOT_STARTED = "not_started"
    PASS = "pass"

    @property
    def severity(self) -> int:
        """Lower is worse."""
        return list(Verdict).index(self)

    @property
    def look(self) -> "Look":
        return LOOKS[self]

    @property
    def label(self) -> str:
        return LOOKS[self].label

    @property
    def icon(self) -> str:
        return LOOKS[self].icon

    @property
    def colour(self) -> str:
        return LOOKS[self].colour

    @property
    def status(self) -> str:
        """The word for an exercise whose latest verdict this is: passing, failing or not started."""
        return {Verdict.PASS: "passing", Verdict.NOT_STARTED: "not started"}.get(self, "failing")


@dataclass(frozen=True)
class Look:
    label: str
    icon: str
    colour: str  # a rich / Textual colour name
    meaning: str  # one line for help screens and docs


LOOKS = {
    Verdict.FORBIDDEN: Look("forbidden", "⊘", "yellow", "used a banned shortcut API"),
    Verdict.CRASH: Look("crash", "☠", "magenta", "the process died (signal, os._exit, segfault)"),
    Verdict.TIMEOUT: Look("timeout", "⏱", "magenta", "used more than its CPU time"),
    Verdict.MEMORY: Look("memory", "M", "magenta", "used more than its memory"),
    Verdict.ERROR: Look("error", "!", "red", "your code raised an exception"),
    Verdict.FAIL: Look("fail", "✗", "red", "ran, wrong answer"),
    Verdict.NOT_STARTED: Look("not started", "○", "bright_black", "still raises NotImplementedError"),
    Verdict.PASS: Look("pass", "✓", "green", "right answer"),
}

# The exercise-level words (`tutor list`, the TUI's home) and how they look.
STATUS_LOOKS = {
    "passing": LOOKS[Verdict.PASS],
    "failing": LOOKS[Verdict.FAIL],
    "not started": LOOKS[Verdict.NOT_STARTED],
}


def as_verdict(value: "str | Verdict") -> Verdict:
    """A verdict from its string form; an unknown word (an old progress record) reads as fail."""
    try:
        return Verdict(str(value))
    except ValueError:
        return Verdict.FAIL


def worst(verdicts) -> Verdict:
    verdicts = list(verdicts)
    return min(verdicts, key=lambda v: v.severity) if verdicts else Verdict.NOT_STARTED


def status_of(verdict: "str | Verdict") -> str:
    return as_verdict(verdict).status


def legend() -> str:
    """'✓ pass (right answer), ✗ fail (...)...' for help texts."""
    return ", ".join(f"{look.icon} {look.label} ({look.meaning})" for look in LOOKS.values())
