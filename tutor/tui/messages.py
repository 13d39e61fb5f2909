"""Messages between the grading/watching workers and the screens.

Workers report only by posting these. Streamed loss points travel as *snapshots* of every
series so far, so a newer `PointsUpdated` can replace an older one still in the queue
without losing a point (the flood of per-step losses merges instead of piling up).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message

# (check index, role "learner"/"reference", series name) -> [(step, value), ...]
SeriesKey = tuple[int, str, str]
Series = dict[SeriesKey, list[tuple[float, float]]]


@dataclass
class GradingStarted(Message):
    exercise: str
    reason: str = "check"

    def __post_init__(self) -> None:
        super().__init__()


@dataclass
class CheckStarted(Message):
    exercise: str
    index: int

    def __post_init__(self) -> None:
        super().__init__()


@dataclass
class PointsUpdated(Message):
    """Every streamed point of the running grading so far (a snapshot, safe to replace)."""

    exercise: str
    series: Series = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__()

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PointsUpdated) and message.exercise == self.exercise


@dataclass
class CheckFinished(Message):
    exercise: str
    index: int
    result: Any  # tutor.grader.results.CheckResult

    def __post_init__(self) -> None:
        super().__init__()


@dataclass
class ExerciseGraded(Message):
    exercise: str
    result: Any  # tutor.grader.results.ExerciseResult

    def __post_init__(self) -> None:
        super().__init__()


@dataclass
class GradingFailed(Message):
    """The grader itself could not run (broken lesson pack, worker failed to start)."""

    exercise: str
    error: str

    def __post_init__(self) -> None:
        super().__init__()


@dataclass
class LearnerFileChanged(Message):
    """The learner's file changed on disk, saved by something other than this app."""

    exercise: str
    text: str

    def __post_init__(self) -> None:
        super().__init__()


@dataclass
class GraderReady(Message):
    """The grading session is open and a worker is warming up."""

    error: str | None = None

    def __post_init__(self) -> None:
        super().__init__()
