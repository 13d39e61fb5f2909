"""The one result model every report (text, json, junit, TUI) renders."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from tutor.engine.verdicts import Verdict, as_verdict, worst


@dataclass
class CheckResult:
    name: str
    verdict: Verdict
    message: str = ""
    diagnosis: str | None = None
    kind: str = "value"
    duration_s: float = 0.0
    cpu_s: float = 0.0  # CPU time in the learner's child (what the limit counts)
    # For value checks: how to reproduce, what was expected and what came.
    details: dict = field(default_factory=dict)
    # Streamed points, e.g. {"learner": [[step, loss], ...], "reference": [...]}.
    series: dict[str, list[list[float]]] = field(default_factory=dict)
    output: str = ""
    evidence: str = ""  # the message without the diagnosis's text, when there is a diagnosis
    id: str = ""  # the check's id in exercise.toml: stable across renamed titles
    # Fingerprints of the plain data each side returned (validate compares two runs by them).
    data_digest: str = ""
    expected_digest: str = ""

    def to_json(self) -> dict:
        return {"name": self.name, "id": self.id, "verdict": str(self.verdict), "message": self.message,
                "diagnosis": self.diagnosis}

    def to_record(self, series: bool = True) -> dict:
        """Everything, as plain JSON data (gradebooks and their cache)."""
        record = dict(self.to_json(), kind=self.kind, duration_s=round(self.duration_s, 4),
                      details=plain(self.details), output=self.output, evidence=self.evidence)
        if series:
            record["series"] = plain(self.series)
        return record

    @classmethod
    def from_record(cls, record: dict) -> "CheckResult":
        return cls(name=record["name"], verdict=as_verdict(record["verdict"]), message=record.get("message", ""),
                   diagnosis=record.get("diagnosis"), kind=record.get("kind", "value"),
                   duration_s=float(record.get("duration_s", 0.0)), details=dict(record.get("details") or {}),
                   series=dict(record.get("series") or {}), output=record.get("output", ""),
                   evidence=record.get("evidence", ""))


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

    def to_record(self, series: bool = True) -> dict:
        return dict(self.to_json(), title=self.title, output=self.output, note=self.note,
                    checks=[c.to_record(series) for c in self.checks])

    @classmethod
    def from_record(cls, record: dict) -> "ExerciseResult":
        return cls(record["exercise"], record.get("title", ""), [CheckResult.from_record(c) for c in record["checks"]],
                   duration_s=float(record.get("duration_s", 0.0)), output=record.get("output", ""),
                   note=record.get("note", ""), isolation=record.get("isolation", ""))


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


def plain(value):
    """JSON-safe data: numpy scalars to numbers, tuples to lists, non-finite floats to strings
    (strict JSON has no NaN), anything else to its text."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return plain(item())
        except (TypeError, ValueError):
            pass
    return str(value)
