"""What a check's two halves get besides the data: the scenario's Context (in the sandboxed
child and in the trusted grader alike) and the judge's JudgeContext (grader only)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any, Callable

PASS, FAIL = "pass", "fail"


def stable_seed(*parts: str) -> int:
    """A seed from names (a check's id): the same on every machine and every run."""
    return zlib.crc32("/".join(parts).encode()) % (2**31 - 1)


@dataclass
class Context:
    """A seed, a way to stream points (per-step losses) and, for the record, whose side runs."""

    seed: int
    role: str = "learner"  # "learner", "reference" or "variant"; scenarios should not need it
    emit_point: Callable[[str, int, float], None] | None = None
    # The sandbox's guard, in the learner's process only. A scenario that runs learner code in
    # processes it forks (a process group) cannot rely on the guard there being the grader's:
    # it reads each process's violation() and reports it back here with forbid().
    guard: Any = None

    def generator(self, offset: int = 0):
        import torch

        return torch.Generator().manual_seed(self.seed + offset)

    def emit(self, series: str, step: int, value: float) -> None:
        if self.emit_point is not None:
            self.emit_point(series, int(step), float(value))

    def violation(self) -> str | None:
        """The banned API the learner's code reached in this process so far (None: none, or no guard)."""
        return getattr(self.guard, "violation", None)

    def forbid(self, what: str) -> None:
        """Charge a banned API found elsewhere (in a forked process) to the learner: the check's
        verdict becomes `forbidden`. Raises, like the guard does when the learner reaches one."""
        if self.guard is not None:
            self.guard.forbid(what)
        raise RuntimeError(f"{what} is not allowed in this exercise")


@dataclass
class Judgement:
    verdict: str
    message: str = ""
    diagnosis: str | None = None
    details: dict = field(default_factory=dict)
    evidence: str = ""  # the message without the diagnosis's text: what this check saw


@dataclass
class JudgeContext:
    """What the judge knows besides the two results: the diagnoses and the known wrong variants."""

    diagnoses: dict[str, str]
    variants: Callable[[], dict[str, Any]] = lambda: {}
    # Diagnoses already named on earlier checks of this grading: when several known mistakes
    # explain this check equally well, the one that explained the earlier ones wins.
    named: tuple[str, ...] = ()

    def text(self, diagnosis: str) -> str:
        if diagnosis in self.diagnoses:
            return self.diagnoses[diagnosis]
        from tutor.grader.diagnose import GENERIC

        return GENERIC.get(diagnosis, diagnosis)

    def fail(self, message: str, diagnosis: str | None = None, details: dict | None = None) -> Judgement:
        """A failing judgement; a diagnosis puts its human text first, then the evidence."""
        evidence = message
        if diagnosis:
            message = f"{self.text(diagnosis)} ({message})" if message else self.text(diagnosis)
        return Judgement(FAIL, message, diagnosis, details or {}, evidence)
