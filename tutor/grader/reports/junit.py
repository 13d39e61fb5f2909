"""JUnit XML: one testsuite per exercise, one testcase per check; CI systems read it natively."""

from xml.etree import ElementTree as ET

from tutor.grader.results import Report, Verdict

FAILURE_VERDICTS = {Verdict.FAIL, Verdict.FORBIDDEN}


def render_junit(report: Report) -> str:
    root = ET.Element("testsuites", name="tutor", tests=str(sum(len(r.checks) for r in report.results)))
    for result in report.results:
        failures = sum(c.verdict in FAILURE_VERDICTS for c in result.checks)
        errors = sum(c.verdict not in FAILURE_VERDICTS | {Verdict.PASS, Verdict.NOT_STARTED} for c in result.checks)
        skipped = sum(c.verdict is Verdict.NOT_STARTED for c in result.checks)
        suite = ET.SubElement(root, "testsuite", name=result.exercise, tests=str(len(result.checks)),
                              failures=str(failures), errors=str(errors), skipped=str(skipped),
                              time=f"{result.duration_s:.3f}")
        for check in result.checks:
            case = ET.SubElement(suite, "testcase", classname=result.exercise.replace("/", "."), name=check.name,
                                 time=f"{check.duration_s:.3f}")
            text = check.message + (f"\ndiagnosis: {check.diagnosis}" if check.diagnosis else "")
            if check.verdict in FAILURE_VERDICTS:
                ET.SubElement(case, "failure", type=str(check.verdict), message=check.message.splitlines()[0] if check.message else "").text = text
            elif check.verdict is Verdict.NOT_STARTED:
                ET.SubElement(case, "skipped", message="not started")
            elif check.verdict is not Verdict.PASS:
                ET.SubElement(case, "error", type=str(check.verdict), message=check.message.splitlines()[0] if check.message else "").text = text
        if result.output:
            ET.SubElement(suite, "system-out").text = result.output
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
