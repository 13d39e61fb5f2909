"""Renderers of one Report: text (rich), json (DESIGN.md's contract) and junit (for CI)."""

from tutor.grader.reports.json_report import render_json
from tutor.grader.reports.junit import render_junit
from tutor.grader.reports.text import render_text

RENDERERS = {"text": render_text, "json": render_json, "junit": render_junit}

__all__ = ["RENDERERS", "render_json", "render_junit", "render_text"]
