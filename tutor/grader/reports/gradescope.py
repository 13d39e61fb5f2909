"""Gradescope's autograder results.json: each exercise is worth one point, shared equally by
its checks; one Gradescope test per check (name, score, max_score, status, output,
visibility). The top-level score is the sum of the exercise scores, as in tutor's report."""

from __future__ import annotations

import json

from tutor.grader.results import Report, Verdict


def clean(text: str) -> str:
    """Text any JSON consumer accepts (no lone surrogates from odd learner output)."""
    return text.encode("utf-8", "replace").decode("utf-8")


def render_gradescope(report: Report, visibility: str = "visible") -> str:
    tests = []
    for result in report.results:
        share = 1.0 / len(result.checks) if result.checks else 0.0
        for check in result.checks:
            passed = check.verdict is Verdict.PASS
            output = check.message
            if check.diagnosis:
                output = f"[{check.diagnosis}] {output}"
            if check.verdict not in (Verdict.PASS, Verdict.FAIL):
                output = f"{check.verdict.label}: {output}" if output else check.verdict.label
            tests.append({
                "name": clean(f"{result.exercise}: {check.name}"),
                "score": round(share if passed else 0.0, 6),
                "max_score": round(share, 6),
                "status": "passed" if passed else "failed",
                "output": clean(output),
                "visibility": visibility,
                "tags": [result.exercise],
            })
    summary = f"{report.passed}/{len(report.results)} exercises pass"
    return json.dumps({
        "score": round(sum(sum(c.verdict is Verdict.PASS for c in r.checks) / len(r.checks)
                           for r in report.results if r.checks), 6),
        "execution_time": round(sum(r.duration_s for r in report.results), 3),
        "output": summary,
        "visibility": visibility,
        "stdout_visibility": "hidden",
        "tests": tests,
    }, indent=2)
