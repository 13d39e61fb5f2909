"""JUnit XML: one testsuite per exercise, one testcase per check; CI systems read it natively."""

from xml.etree import ElementTree as ET

from tutor.engine.text import printable as _p
from tutor.grader.results import Report, Verdict

FAILURE_VERDICTS = {Verdict.FAIL, Verdict.FORBIDDEN}


def render_junit(report: Report) -> str:
    root = ET.Element("testsuites", name="tutor", tests=str(sum(len(r.checks) for r in report.results)))
    for result in report.results:
        failures = sum(c.verdict in FAILURE_VERDICTS for c in result.checks)
        errors = sum(c.verdict not in FAILURE_VERDICTS | {Verdict.PASS, Verdict.NOT_STARTED} for c in result.checks)
        skipped = sum(c.verdict is Verdict.NOT_STARTED for c in result.checks)
        # Every text goes through _p: XML 1.0 cannot hold NUL, most control characters or lone
        # surrogates, and ElementTree would write them as they are (an unparseable report).
        suite = ET.SubElement(root, "testsuite", name=_p(result.exercise), tests=str(len(result.checks)),
                              failures=str(failures), errors=str(errors), skipped=str(skipped),
                              time=f"{result.duration_s:.3f}")
        for check in result.checks:
            case = ET.SubElement(suite, "testcase", classname=_p(result.exercise.replace("/", ".")), name=_p(check.name),
                                 time=f"{check.duration_s:.3f}")
            message = _p(check.message)
            text = message + (f"\ndiagnosis: {_p(check.diagnosis)}" if check.diagnosis else "")
            if check.verdict in FAILURE_VERDICTS:
                ET.SubElement(case, "failure", type=str(check.verdict), message=message.splitlines()[0] if message else "").text = text
            elif check.verdict is Verdict.NOT_STARTED:
                ET.SubElement(case, "skipped", message="not started")
            elif check.verdict is not Verdict.PASS:
                ET.SubElement(case, "error", type=str(check.verdict), message=message.splitlines()[0] if message else "").text = text
        if result.output:
            ET.SubElement(suite, "system-out").text = _p(result.output)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
