"""`tutor instructor ci-template`: a GitHub Actions workflow that grades each push.

Two shapes:
- plain: one job checks the student's repository out into `submission/`, installs torch (the
  CPU wheel first, so pip does not fetch a CUDA build) and tutor, fetches the instructor's pack,
  grades in trusted mode (`--strict`; GitHub also sets CI) into annotations on the diff, a
  JUnit report and Gradescope's results.json, and uploads the reports;
- `--classroom`: GitHub Classroom's autograding form, one command-grader step per exercise
  (one point each) and the grading reporter, which sends the points to the classroom.

The YAML is written as text (no YAML library at run time); every scalar that could hold a
user-given value is quoted.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from importlib import metadata

from tutor import __version__

CHECKOUT = "actions/checkout@v4"
SETUP_PYTHON = "actions/setup-python@v5"
UPLOAD = "actions/upload-artifact@v4"
COMMAND_GRADER = "classroom-resources/autograding-command-grader@v1"
REPORTER = "classroom-resources/autograding-grading-reporter@v1"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
SUBMISSION = "submission"
PACK_DIR = "lesson-pack"


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(str(value))


def installed_torch() -> str:
    try:
        return metadata.version("torch").split("+")[0]
    except metadata.PackageNotFoundError:
        return "2.13.0"


@dataclass
class TemplateOptions:
    exercises: list[str] = field(default_factory=list)  # ids graded (classroom: one step each)
    targets: list[str] = field(default_factory=list)  # as given on the command line; [] = --all
    pack_repo: str | None = None  # owner/name of a git repository holding the pack
    pack_ref: str | None = None
    pack_pip: str | None = None  # a pip requirement for a pack exposing `tutor.lessons`
    tutor_spec: str = f"tutor=={__version__}"
    torch_version: str = field(default_factory=installed_torch)
    python_version: str = f"{sys.version_info.major}.{sys.version_info.minor}"
    classroom: bool = False
    timeout_minutes: int = 10


def _lessons_flag(opts: TemplateOptions) -> str:
    return f" --lessons {PACK_DIR}" if opts.pack_repo else ""


def _setup_steps(opts: TemplateOptions) -> list[str]:
    steps = [
        "      # The student's repository goes into a folder of its own: nothing in it runs, and",
        "      # its tutor.toml cannot add lesson packs (--strict; GitHub also sets CI).",
        f"      - uses: {CHECKOUT}",
        "        with:",
        f"          path: {SUBMISSION}",
    ]
    if opts.pack_repo:
        steps += [
            "      # The instructor's lesson pack: checks and references the grade depends on.",
            f"      - uses: {CHECKOUT}",
            "        with:",
            f"          repository: {q(opts.pack_repo)}",
            *([f"          ref: {q(opts.pack_ref)}"] if opts.pack_ref else []),
            f"          path: {PACK_DIR}",
            "          token: ${{ secrets.LESSON_PACK_TOKEN || github.token }}",
        ]
    steps += [
        f"      - uses: {SETUP_PYTHON}",
        "        with:",
        f"          python-version: {q(opts.python_version)}",
        "      - name: Install tutor (torch's CPU wheel first)",
        "        run: |",
        f"          python -m pip install torch=={opts.torch_version} --index-url {TORCH_CPU_INDEX}",
        f"          python -m pip install {_shell_quote(opts.tutor_spec)}",
    ]
    if opts.pack_pip:
        steps.append(f"          python -m pip install {_shell_quote(opts.pack_pip)}")
    if not opts.pack_repo and not opts.pack_pip:
        steps += [
            "      # No lesson pack named: the built-in curriculum grades. Add yours with",
            "      # `tutor instructor ci-template --pack-repo OWNER/NAME` (or --pack-pip SPEC).",
        ]
    return steps


def _shell_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _targets(opts: TemplateOptions) -> str:
    return " ".join(_shell_quote(t) for t in opts.targets) if opts.targets else "--all"


def plain_workflow(opts: TemplateOptions) -> str:
    check = (f"tutor check {_targets(opts)} --strict --workspace {SUBMISSION}{_lessons_flag(opts)}"
             " --format github --format junit -o report.xml --format gradescope -o results.json")
    lines = [
        "# Grades every push with tutor: annotations on the learner's files, a JUnit report and",
        f"# Gradescope's results.json. Written by `tutor instructor ci-template` (tutor {__version__}).",
        "name: tutor",
        '"on":',
        "  push:",
        "  pull_request:",
        "  workflow_dispatch:",
        "permissions:",
        "  contents: read",
        "jobs:",
        "  grade:",
        "    runs-on: ubuntu-latest",
        "    timeout-minutes: 30",
        "    steps:",
        *_setup_steps(opts),
        "      - name: Grade",
        f"        run: {q(check)}",
        "      - name: Upload the reports",
        "        if: always()",
        f"        uses: {UPLOAD}",
        "        with:",
        "          name: tutor-reports",
        "          path: |",
        "            report.xml",
        "            results.json",
        "          if-no-files-found: ignore",
    ]
    return "\n".join(lines) + "\n"


def step_id(exercise_id: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", exercise_id.lower()).strip("-")


def classroom_workflow(opts: TemplateOptions) -> str:
    if not opts.exercises:
        raise ValueError("a classroom workflow needs at least one exercise")
    lines = [
        "# GitHub Classroom autograding with tutor: one test (one point) per exercise.",
        f"# Written by `tutor instructor ci-template --classroom` (tutor {__version__}).",
        "name: Autograding Tests",
        '"on":',
        "  - push",
        "  - repository_dispatch",
        "permissions:",
        "  checks: write",
        "  actions: read",
        "  contents: read",
        "jobs:",
        "  run-autograding-tests:",
        "    runs-on: ubuntu-latest",
        "    if: github.actor != 'github-classroom[bot]'",
        "    steps:",
        *_setup_steps(opts),
    ]
    ids = []
    for ex in opts.exercises:
        sid = step_id(ex)
        ids.append(sid)
        command = (f"tutor check {_shell_quote(ex)} --strict --workspace {SUBMISSION}{_lessons_flag(opts)}"
                   " --format github")
        lines += [
            f"      - name: {q(ex)}",
            f"        id: {sid}",
            f"        uses: {COMMAND_GRADER}",
            "        with:",
            f"          test-name: {q(ex)}",
            "          setup-command: \"\"",
            f"          command: {q(command)}",
            f"          timeout: {opts.timeout_minutes}",
            "          max-score: 1",
        ]
    lines += [
        "      - name: Autograding Reporter",
        f"        uses: {REPORTER}",
        "        env:",
        *[f"          {sid.upper()}_RESULTS: \"${{{{steps.{sid}.outputs.result}}}}\"" for sid in ids],
        "        with:",
        f"          runners: {','.join(ids)}",
    ]
    return "\n".join(lines) + "\n"


def render_workflow(opts: TemplateOptions) -> str:
    return classroom_workflow(opts) if opts.classroom else plain_workflow(opts)


def run_ci_template(output, *, classroom: bool = False, targets: list[str] = (), lessons=(),
                    pack_repo: str | None = None, pack_ref: str | None = None, pack_pip: str | None = None,
                    tutor_spec: str | None = None, force: bool = False) -> str:
    """The workflow's text (no output file), or a line saying where it was written."""
    from pathlib import Path

    from tutor.engine.errors import TutorError
    from tutor.engine.packs import resolve

    if pack_repo is not None and not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", pack_repo):
        raise TutorError(f"--pack-repo {pack_repo!r}: expected OWNER/NAME of a GitHub repository")
    if lessons and not (pack_repo or pack_pip):
        raise TutorError("the workflow must fetch the pack given by --lessons: add --pack-repo OWNER/NAME or --pack-pip SPEC")
    catalog = resolve(None, lessons, strict=True).catalog
    exercises = catalog.resolve(list(targets)) if targets else catalog.exercises
    opts = TemplateOptions(exercises=[ex.id for ex in exercises], targets=list(targets), pack_repo=pack_repo,
                           pack_ref=pack_ref, pack_pip=pack_pip, classroom=classroom)
    if tutor_spec:
        opts.tutor_spec = tutor_spec
    text = render_workflow(opts)
    if output is None:
        return text
    output = Path(output)
    if output.exists() and not force:
        raise TutorError(f"{output} exists; add --force to overwrite it")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    kind = "GitHub Classroom autograding" if classroom else "GitHub Actions"
    return f"{kind} workflow written to {output}\n"
