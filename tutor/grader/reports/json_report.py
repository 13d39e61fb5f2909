import json

from tutor.grader.results import Report


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2)
