import json

from tutor.engine.text import printable_data
from tutor.grader.results import Report


def render_json(report: Report) -> str:
    # Learner text may hold lone surrogates and control characters: escaped, so the report
    # is plain, valid UTF-8 JSON that any reader takes.
    return json.dumps(printable_data(report.to_json()), indent=2)
