"""Renderers of one Report: text (human), json (DESIGN.md's contract), junit (CI)."""

import json
from xml.etree import ElementTree

from tutor.grader.reports import render_json, render_junit, render_text
from tutor.grader.results import CheckResult, ExerciseResult, Report, Verdict

TEXT = "You correct the bias with 1 + βᵗ."


def report() -> Report:
    checks = [
        CheckResult("first step", Verdict.FAIL, f"{TEXT} (step 1 is 2.35 × lr)", "adam.bias_plus", evidence="step 1 is 2.35 × lr"),
        CheckResult("300 steps", Verdict.FAIL, f"{TEXT} (after step 5 ...)", "adam.bias_plus", evidence="after step 5 ..."),
        CheckResult("closure", Verdict.ERROR, "ValueError: boom (chapter12/adam.py, line 3)"),
        CheckResult("groups", Verdict.PASS),
        CheckResult("training", Verdict.TIMEOUT, "did not finish within the time limit of 10 s", kind="training",
                    series={"learner": {"loss": [[0, 1.0], [1, 0.5]]}, "reference": {"loss": [[0, 1.0], [1, 0.4]]}}),
    ]
    return Report("0.1.0", "/ws", [ExerciseResult("chapter12/adam", "Adam", checks, duration_s=1.5)])


def test_text_explains_a_misconception_once_then_shows_evidence():
    text = render_text(report())
    assert text.count(TEXT) == 1
    assert "same mistake as above: after step 5" in text
    assert "verdict: ⏱ timeout" in text  # the worst check decides (timeout > error > fail)
    assert "yours" in text and "reference" in text  # the streamed curves as a chart


def test_json_is_the_contract():
    data = json.loads(render_json(report()))
    [result] = data["results"]
    assert result["verdict"] == "timeout" and result["score"] == 0.2
    assert result["checks"][0] == {"name": "first step", "id": "", "verdict": "fail",
                                   "message": f"{TEXT} (step 1 is 2.35 × lr)", "diagnosis": "adam.bias_plus"}
    assert data["summary"] == {"exercises": 1, "passed": 0, "score": 0.2}


def test_junit_counts_failures_errors_and_skips():
    root = ElementTree.fromstring(render_junit(report()).split("\n", 1)[1])
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("5", "2", "2", "0")
    kinds = [next(iter(case), None) for case in suite.findall("testcase")]
    assert [k.tag if k is not None else None for k in kinds] == ["failure", "failure", "error", None, "error"]
    assert kinds[4].get("type") == "timeout"


HOSTILE = "bad \udc80 \x00 \x1b[2J\x07 \x0b \ufffe end"


def hostile_report() -> Report:
    checks = [CheckResult("the check", Verdict.ERROR, f"ValueError: {HOSTILE}", diagnosis=None),
              CheckResult(f"name {HOSTILE}", Verdict.FAIL, f"got a {HOSTILE} object")]
    return Report("0.1.0", "/ws", [ExerciseResult("chapter3/softmax", "Softmax", checks, output=f"printed {HOSTILE}\n",
                                                  note=HOSTILE, isolation="full")])


def test_every_format_survives_any_text():
    """Lone surrogates, NUL, escape sequences and XML-forbidden characters are escaped, visibly."""
    text = render_text(hostile_report())
    text.encode("utf-8")
    assert "\x1b" not in text and "\x00" not in text and "\\x00" in text and "\\udc80" in text
    raw = render_json(hostile_report())
    raw.encode("utf-8")
    data = json.loads(raw)
    assert data["results"][0]["checks"][0]["message"] == "ValueError: bad \\udc80 \\x00 \\x1b[2J\\x07 \\x0b \\ufffe end"
    assert data["results"][0]["isolation"] == "full"
    xml = render_junit(hostile_report())
    root = ElementTree.fromstring(xml.encode("utf-8"))
    assert "\\x00" in root.find(".//error").text and "\\x07" in root.find(".//system-out").text
