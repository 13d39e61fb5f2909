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
