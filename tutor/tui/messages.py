"""Messages between the grading/watching workers and the screens.

Workers report only by posting these. Streamed loss points travel as *snapshots* of every
series so far, so a newer `PointsUpdated` can replace an older one still in the queue
without losing a point (the flood of per-step losses merges instead of piling up).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message

# Message.__post_init__ sets up a message, so plain @dataclass subclasses work as they are.

# (check index, role "learner"/"reference", series name) -> [(step, value), ...]
SeriesKey = tuple[int, str, str]
Series = dict[SeriesKey, list[tuple[float, float]]]


@dataclass
class GradingStarted(Message):
    exercise: str
    reason: str = "check"


@dataclass
class CheckStarted(Message):
    exercise: str
    index: int


@dataclass
class PointsUpdated(Message):
    """Every streamed point of the running grading so far (a snapshot, safe to replace)."""

    exercise: str
    series: Series = field(default_factory=dict)

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PointsUpdated) and message.exercise == self.exercise


@dataclass
class CheckFinished(Message):
    exercise: str
    index: int
    result: Any  # tutor.grader.results.CheckResult


@dataclass
class ExerciseGraded(Message):
    exercise: str
    result: Any  # tutor.grader.results.ExerciseResult


@dataclass
class GradingFailed(Message):
    """The grader itself could not run (broken lesson pack, worker failed to start)."""

    exercise: str
    error: str


@dataclass
class LearnerFileChanged(Message):
    """The learner's file changed on disk, saved by something other than this app."""

    exercise: str
    text: str


@dataclass
class GraderReady(Message):
    """The grading session is open and a worker is warming up."""

    error: str | None = None


@dataclass
class ProgressChanged(Message):
    """Something was recorded for an exercise (a grading, a reset, a hint): status shown anywhere
    may be stale. `exercise` is None when the change came from outside the app."""

    exercise: str | None = None


@dataclass
class KernelsProgress(Message):
    """The background compile of the reference kernels (tutor.kernels.precompile) moved on."""

    state: str  # starting, compiling, ready, failed
    done: int = 0
    total: int = 0
    current: str = ""

    @property
    def busy(self) -> bool:
        return self.state in ("starting", "compiling")

    def line(self, short: bool = False) -> str:
        """One line for a status bar; empty once there is nothing to say."""
        count = f" {self.done}/{self.total}" if self.total else ""
        if self.busy:
            if short:
                return f"compiling kernels{count}"
            return f"compiling the reference kernels{count} in the background (first run only)"
        if self.state == "failed" and not short:
            return "the reference kernels could not be compiled ahead; a heavy check compiles what it needs"
        return ""
