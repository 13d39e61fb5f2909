"""GitHub Actions workflow commands: one `::error` annotation per failing check, on the line of
the learner's file it concerns, so the mistake shows up in the pull request's diff.

The line is the one the error names (a traceback or syntax error in the learner's file), or
else the `def` of the exercise's function. Paths are relative to the git repository holding
the file (GitHub resolves annotation paths from the repository root).
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from tutor.grader.results import ExerciseResult, Report, Verdict

MESSAGE_LIMIT = 4000


@dataclass
class Locations:
    """Where each exercise's learner file is and which functions it defines."""

    files: dict[str, Path] = field(default_factory=dict)
    functions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def for_workspace(cls, workspace_root: Path, exercises) -> "Locations":
        return cls({ex.id: Path(workspace_root) / ex.workspace_path for ex in exercises},
                   {ex.id: tuple(ex.functions) for ex in exercises})


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_path(path: Path) -> str:
    """Relative to the enclosing git repository, else to GITHUB_WORKSPACE or the current folder."""
    path = Path(os.path.abspath(path))
    for parent in path.parents:
        if (parent / ".git").exists():
            return path.relative_to(parent).as_posix()
    base = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # another drive (Windows)
        return path.as_posix()


def _def_lines(path: Path) -> dict[str, int]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return {}
    return {node.name: node.lineno for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def _line(text: str, path: Path, workspace_path: str, defs: dict[str, int], functions: tuple[str, ...]) -> int:
    # "(chapter4/softmax.py, line 7)" from the grader, or a traceback's File "...softmax.py", line 7
    patterns = [re.escape(workspace_path) + r", line (\d+)", re.escape(str(path)) + r"\"?, line (\d+)"]
    for pattern in patterns:
        found = re.findall(pattern, text)
        if found:
            return int(found[-1])
    for name in functions:
        if name in defs:
            return defs[name]
    return 1


def render_github(report: Report, locations: Locations | None = None) -> str:
    locations = locations or Locations()
    lines = []
    for result in report.results:
        lines += _annotations(result, Path(report.workspace), locations)
    passed = f"{report.passed}/{len(report.results)} exercises pass, score {report.score:.2f}"
    lines.append(f"::notice title=tutor::{escape_data(passed)}")
    return "\n".join(lines) + "\n"


def _annotations(result: ExerciseResult, workspace: Path, locations: Locations) -> list[str]:
    workspace_path = f"{result.exercise}.py"
    path = locations.files.get(result.exercise, workspace / workspace_path)
    functions = locations.functions.get(result.exercise, ())
    file_prop = escape_property(annotation_path(path))
    if result.verdict is Verdict.PASS:
        return []
    if result.verdict is Verdict.NOT_STARTED:
        title = escape_property(f"{result.exercise}: not started")
        return [f"::warning file={file_prop},line={_line('', path, workspace_path, _def_lines(path), functions)},"
                f"title={title}::{escape_data('not started yet: the file is still the starter')}"]
    defs = _def_lines(path)
    out = []
    for check in result.checks:
        if check.verdict in (Verdict.PASS, Verdict.NOT_STARTED):
            continue
        line = _line(check.message, path, workspace_path, defs, functions)
        head = f"{check.verdict.label}" + (f" [{check.diagnosis}]" if check.diagnosis else "")
        message = f"{head}: {check.message}" if check.message else head
        if len(message) > MESSAGE_LIMIT:
            message = message[:MESSAGE_LIMIT] + " …"
        title = escape_property(f"{result.exercise}: {check.name}")
        out.append(f"::error file={file_prop},line={line},title={title}::{escape_data(message)}")
    return out
