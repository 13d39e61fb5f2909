"""Renderers of one Report: text (rich), json (DESIGN.md's contract), junit, github
(Actions annotations) and gradescope (results.json)."""

from tutor.grader.reports.gradescope import render_gradescope
from tutor.grader.reports.json_report import render_json
from tutor.grader.reports.junit import render_junit
from tutor.grader.reports.text import render_text

RENDERERS = {"text": render_text, "json": render_json, "junit": render_junit, "gradescope": render_gradescope}

__all__ = ["RENDERERS", "render_gradescope", "render_json", "render_junit", "render_text"]
