"""JUnit XML: one testsuite per exercise, one testcase per check; CI systems read it natively.

Messages and captured output come from the learner's code, so every text is made valid XML
1.0 first: characters XML cannot hold (NUL, escape codes, lone surrogates) are written as
\\xNN / \\uNNNN instead of producing a file no CI can parse.
"""

from xml.etree import ElementTree as ET

from tutor.engine.text import printable
from tutor.grader.results import Report, Verdict

FAILURE_VERDICTS = {Verdict.FAIL, Verdict.FORBIDDEN}


def xml_text(text: str) -> str:
    # XML 1.0 cannot hold NUL, most control characters or lone surrogates, and ElementTree
    # would write them as they are (an unparseable report).
    return printable(text)


def _first_line(text: str) -> str:
    return xml_text(text.splitlines()[0]) if text else ""


def render_junit(report: Report) -> str:
    root = ET.Element("testsuites", name="tutor", tests=str(sum(len(r.checks) for r in report.results)))
    for result in report.results:
        failures = sum(c.verdict in FAILURE_VERDICTS for c in result.checks)
        errors = sum(c.verdict not in FAILURE_VERDICTS | {Verdict.PASS, Verdict.NOT_STARTED} for c in result.checks)
        skipped = sum(c.verdict is Verdict.NOT_STARTED for c in result.checks)
        suite = ET.SubElement(root, "testsuite", name=xml_text(result.exercise), tests=str(len(result.checks)),
                              failures=str(failures), errors=str(errors), skipped=str(skipped),
                              time=f"{result.duration_s:.3f}")
        for check in result.checks:
            case = ET.SubElement(suite, "testcase", classname=result.exercise.replace("/", "."),
                                 name=xml_text(check.name), time=f"{check.duration_s:.3f}")
            text = xml_text(check.message + (f"\ndiagnosis: {check.diagnosis}" if check.diagnosis else ""))
            if check.verdict in FAILURE_VERDICTS:
                ET.SubElement(case, "failure", type=str(check.verdict), message=_first_line(check.message)).text = text
            elif check.verdict is Verdict.NOT_STARTED:
                ET.SubElement(case, "skipped", message="not started")
            elif check.verdict is not Verdict.PASS:
                ET.SubElement(case, "error", type=str(check.verdict), message=_first_line(check.message)).text = text
        if result.output:
            ET.SubElement(suite, "system-out").text = xml_text(result.output)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
