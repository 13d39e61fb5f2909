"""The one result model every report (text, json, junit, TUI) renders."""

from __future__ import annotations

from dataclasses import dataclass, field

from tutor.engine.verdicts import Verdict, worst


@dataclass
class CheckResult:
    name: str
    verdict: Verdict
    message: str = ""
    diagnosis: str | None = None
    kind: str = "value"
    duration_s: float = 0.0
    # For value checks: how to reproduce, what was expected and what came.
    details: dict = field(default_factory=dict)
    # Streamed points, e.g. {"learner": [[step, loss], ...], "reference": [...]}.
    series: dict[str, list[list[float]]] = field(default_factory=dict)
    output: str = ""
    evidence: str = ""  # the message without the diagnosis's text, when there is a diagnosis

    def to_json(self) -> dict:
        return {"name": self.name, "verdict": str(self.verdict), "message": self.message, "diagnosis": self.diagnosis}


@dataclass
class ExerciseResult:
    exercise: str
    title: str
    checks: list[CheckResult]
    duration_s: float = 0.0
    output: str = ""
    note: str = ""  # environment notes, e.g. "network isolation unavailable"
    isolation: str = ""  # the sandbox the learner's code ran in: "full" or "reduced: <why>"

    @property
    def verdict(self) -> Verdict:
        return worst(c.verdict for c in self.checks)

    @property
    def score(self) -> float:
        if not self.checks:
            return 0.0
        return round(sum(c.verdict is Verdict.PASS for c in self.checks) / len(self.checks), 4)

    def to_json(self) -> dict:
        return {
            "exercise": self.exercise,
            "verdict": str(self.verdict),
            "score": self.score,
            "duration_s": round(self.duration_s, 3),
            "checks": [c.to_json() for c in self.checks],
            "isolation": self.isolation,
        }


@dataclass
class Report:
    tutor_version: str
    workspace: str
    results: list[ExerciseResult]

    @property
    def passed(self) -> int:
        return sum(r.verdict is Verdict.PASS for r in self.results)

    @property
    def score(self) -> float:
        if not self.results:
            return 0.0
        return round(sum(r.score for r in self.results) / len(self.results), 4)

    @property
    def exit_code(self) -> int:
        return 0 if self.results and self.passed == len(self.results) else 1

    def to_json(self) -> dict:
        return {
            "tutor_version": self.tutor_version,
            "workspace": self.workspace,
            "results": [r.to_json() for r in self.results],
            "summary": {"exercises": len(self.results), "passed": self.passed, "score": self.score},
        }
