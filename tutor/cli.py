"""The `tutor` command line. Thin: every command delegates to engine, grader or tui."""

from __future__ import annotations

import sys
from enum import Enum
from functools import wraps
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperCommand

from tutor import __version__

app = typer.Typer(help="Learn deep learning by implementing it: lessons, exercises and a grader that explains.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
instructor_app = typer.Typer(help="Author, validate and preview lesson packs; write a CI workflow.", no_args_is_help=True)
app.add_typer(instructor_app, name="instructor")

WorkspaceOpt = Annotated[Optional[Path], typer.Option("--workspace", "-w", help="Workspace folder (default: the nearest folder upwards holding tutor.toml).")]
LessonsOpt = Annotated[Optional[list[Path]], typer.Option(
    "--lessons", help="An instructor's lesson pack to add to the catalog (repeatable). Trusted: the workspace's own packs are then ignored.")]


class Format(str, Enum):
    text = "text"
    json = "json"
    junit = "junit"


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    junit = "junit"
    github = "github"
    gradescope = "gradescope"


class GradeFormat(str, Enum):
    csv = "csv"
    json = "json"


class OrderedOutputs(TyperCommand):
    """Remembers the order of --format and -o on the command line, so that each -o FILE
    belongs to its own --format when several are given."""

    def parse_args(self, ctx, args):
        try:
            opts, _, order = self.make_parser(ctx).parse_args(args=list(args))
            values = {name: iter(opts.get(name) or []) for name in ("format", "output")}
            ctx.meta["tutor.outputs"] = [(p.name, next(values[p.name])) for p in order if p.name in values]
        except Exception:  # noqa: BLE001 - the real parse below reports any usage error
            pass
        return super().parse_args(ctx, args)


def user_errors(fn):
    """A TutorError becomes one line on stderr and exit code 2, never a traceback."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        from tutor.engine.errors import TutorError

        try:
            return fn(*args, **kwargs)
        except TutorError as exc:
            typer.echo(f"tutor: {exc}", err=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            typer.echo("tutor: interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper


def _version(value: bool):
    if value:
        typer.echo(f"tutor {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False):
    """tutor: read a lesson, implement the piece, and let the grader check it."""


def _workspace(workspace: Optional[Path]):
    from tutor.engine.workspace import find_workspace

    return find_workspace(explicit=workspace)


def _catalog(ws, lessons: Optional[list[Path]], strict: bool = False):
    """The catalog for a command in `ws`: built-in, --lessons, TUTOR_LESSONS, installed packs,
    and the workspace's packs unless --lessons, --strict or CI says not to (engine.packs)."""
    from tutor.engine.commands import workspace_catalog

    return workspace_catalog(ws, lessons or [], strict)


@app.command()
@user_errors
def init(directory: Annotated[Path, typer.Argument(help="Folder to create the workspace in.")] = Path("."),
         pack: Annotated[Optional[list[Path]], typer.Option("--pack", help="Extra lesson pack, recorded in the workspace's tutor.toml.")] = None,
         lessons: LessonsOpt = None):
    """Create a workspace: tutor.toml and one starter file per exercise (never overwrites yours)."""
    from tutor.engine import commands
    from tutor.kernels.precompile import start_background

    typer.echo(commands.init(directory, pack or [], lessons or []))
    start_background()  # compile the reference kernels now, while the learner reads the first lessons


@app.command("list")
@user_errors
def list_(workspace: WorkspaceOpt = None, format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
          lessons: LessonsOpt = None):
    """Chapters, exercises and their status."""
    from tutor.engine import commands

    ws = _workspace(workspace)
    typer.echo(commands.list_exercises(ws, format.value, _catalog(ws, lessons)))


@app.command(cls=OrderedOutputs)
@user_errors
def check(ctx: typer.Context,
          targets: Annotated[Optional[list[str]], typer.Argument(help="chapter7, 7, chapter4/softmax or softmax.")] = None,
          all_: Annotated[bool, typer.Option("--all", help="Grade every exercise.")] = False,
          format: Annotated[Optional[list[CheckFormat]], typer.Option(
              "--format", "-f", help="Report format (repeatable, each with its own -o): text, json, junit, github (Actions annotations), gradescope (results.json).")] = None,
          output: Annotated[Optional[list[Path]], typer.Option("--output", "-o", help="Write the --format before it to this file (repeatable).")] = None,
          strict: Annotated[bool, typer.Option("--strict", help="Trusted mode (as when CI is set): the workspace's own lesson packs are ignored.")] = False,
          lessons: LessonsOpt = None,
          workspace: WorkspaceOpt = None):
    """Grade exercises. Exit 0 when all pass, 1 when some do not, 2 on a usage error."""
    from tutor.grader.commands import run_check
    from tutor.grader.reports.outputs import pair_outputs

    sequence = ctx.meta.get("tutor.outputs")
    if sequence is None:  # called without the command-line parser (tests): formats, then files
        sequence = [("format", f.value) for f in format or []] + [("output", str(o)) for o in output or []]
    specs = pair_outputs([(kind, value.value if isinstance(value, Enum) else str(value)) for kind, value in sequence])
    raise typer.Exit(run_check(_workspace(workspace), targets or [], all_, specs, lessons=lessons or [], strict=strict))


@app.command()
@user_errors
def watch(target: Annotated[Optional[str], typer.Argument(help="Chapter or exercise to follow (default: all).")] = None,
          workspace: WorkspaceOpt = None, lessons: LessonsOpt = None):
    """Re-grade on every save and show the first exercise that does not pass yet."""
    from tutor.grader.watch import run_watch

    ws = _workspace(workspace)
    raise typer.Exit(run_watch(ws, target, catalog=_catalog(ws, lessons)))


@app.command("next")
@user_errors
def next_(workspace: WorkspaceOpt = None, lessons: LessonsOpt = None,
          path: Annotated[bool, typer.Option("--path", help="Print only the file's path (e.g. for $EDITOR).")] = False):
    """The next exercise not passing yet, and its file."""
    from tutor.engine import commands

    ws = _workspace(workspace)
    text = commands.next_text(ws, path_only=path, catalog=_catalog(ws, lessons))
    if text:
        typer.echo(text)


@app.command()
@user_errors
def hint(exercise: Annotated[str, typer.Argument(help="Exercise, e.g. chapter4/softmax.")], workspace: WorkspaceOpt = None,
         lessons: LessonsOpt = None):
    """Show the next hint of an exercise (hints taken are counted)."""
    from tutor.engine import commands

    ws = _workspace(workspace)
    typer.echo(commands.hint(ws, exercise, _catalog(ws, lessons)))


@app.command()
@user_errors
def reset(exercise: Annotated[str, typer.Argument(help="Exercise, e.g. chapter4/softmax.")],
          yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
          workspace: WorkspaceOpt = None, lessons: LessonsOpt = None):
    """Put the starter back; your current file is kept in .tutor/backups."""
    from tutor.engine import commands

    ws = _workspace(workspace)
    catalog = _catalog(ws, lessons)
    if not yes and sys.stdin.isatty():
        typer.confirm(f"Reset {exercise} to its starter (your file is backed up)?", abort=True)
    typer.echo(commands.reset(ws, exercise, catalog))


@app.command()
@user_errors
def solution(exercise: Annotated[str, typer.Argument(help="Exercise, e.g. chapter4/softmax.")], workspace: WorkspaceOpt = None,
             lessons: LessonsOpt = None):
    """The reference solution, once your exercise passes (exit 1 before)."""
    from tutor.engine import commands

    ws = _workspace(workspace)
    ok, text = commands.solution(ws, exercise, catalog=_catalog(ws, lessons))
    if not ok:
        typer.echo(f"tutor: {text}", err=True)
        raise typer.Exit(1)
    typer.echo(text, nl=False)


@app.command()
@user_errors
def start(exercise: Annotated[Optional[str], typer.Argument(help="Open this exercise directly, e.g. softmax.")] = None,
          workspace: WorkspaceOpt = None, lessons: LessonsOpt = None):
    """The interactive tutor (Textual TUI)."""
    ws = _workspace(workspace)
    catalog = _catalog(ws, lessons)
    opened = None
    if exercise is not None:  # a bad name is a one-line error here, before the screen is taken over
        from tutor.engine.commands import one_exercise

        opened = one_exercise(catalog, exercise).id
    from tutor.tui.app import run_tui

    run_tui(ws, catalog=catalog, open_exercise=opened)


@app.command()
@user_errors
def grade(submissions: Annotated[Path, typer.Argument(help="Folder holding one workspace per student.")],
          targets: Annotated[Optional[list[str]], typer.Argument(help="Chapters or exercises to grade (default: all).")] = None,
          lessons: LessonsOpt = None,
          jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Students graded at once (default: one per core).")] = 0,
          shard: Annotated[Optional[str], typer.Option("--shard", help="Grade only slice i of n (i/n, 1-based), e.g. in a CI matrix.")] = None,
          format: Annotated[Optional[GradeFormat], typer.Option("--format", "-f", help="Gradebook format (default: from -o's suffix, else csv).")] = None,
          output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Gradebook file.")] = None,
          feedback: Annotated[Optional[Path], typer.Option("--feedback", help="Write one markdown report per student into this folder.")] = None,
          force: Annotated[bool, typer.Option("--force", help="Grade every student again, even those unchanged since the last run.")] = False,
          target_opt: Annotated[Optional[list[str]], typer.Option("--target", "-t", hidden=True)] = None):
    """Batch-grade a class: every workspace under SUBMISSIONS, in parallel, into a gradebook.

    Only the instructor's catalog grades (built-in, --lessons, TUTOR_LESSONS, installed packs);
    students' tutor.toml packs are ignored. Unchanged students are not graded again."""
    from tutor.grader.gradebook import run_gradebook

    raise typer.Exit(run_gradebook(submissions, [*(targets or []), *(target_opt or [])], lessons=lessons or [],
                                   jobs=jobs, shard=shard, fmt=format.value if format else None, output=output,
                                   feedback=feedback, force=force))


@app.command()
@user_errors
def doctor(format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text"):
    """What this machine gives the grader: isolation level and why, sandbox, limits, kernels, versions."""
    from tutor.engine.doctor import run_doctor

    if format not in ("text", "json"):
        typer.echo("tutor: --format must be text or json", err=True)
        raise typer.Exit(2)
    raise typer.Exit(run_doctor(format))


@instructor_app.command("validate")
@user_errors
def instructor_validate(packs: Annotated[Optional[list[Path]], typer.Argument(help="Lesson pack folders (default: the whole catalog).")] = None,
                        target: Annotated[Optional[list[str]], typer.Option("--target", "-t", help="Only these chapters/exercises.")] = None,
                        jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Exercises validated at once.")] = 1,
                        lessons: LessonsOpt = None):
    """The course's own check: bans resolve, no placeholders, starter not started, reference and 2+ solutions pass,
    every mutant fails with its diagnosis and every diagnosis has a mutant, deterministic, within CPU budgets."""
    from tutor.grader.commands import run_validate

    raise typer.Exit(run_validate(packs or [], target or [], lessons or [], jobs))


@instructor_app.command("schema")
@user_errors
def instructor_schema(output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write it to this file.")] = None):
    """The JSON Schema of exercise.toml, for editors that complete and check TOML."""
    import json

    from tutor.engine.schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"schema written to {output}")


@instructor_app.command("new")
@user_errors
def instructor_new(pack: Annotated[Path, typer.Argument(help="Lesson pack folder.")],
                   exercise: Annotated[str, typer.Argument(help="chapterN/slug")],
                   function: Annotated[str, typer.Option("--function", help="Name of the function to write.")] = "solve"):
    """Scaffold a new exercise folder in a lesson pack, ready to fill in."""
    from tutor.engine.scaffold import new_exercise

    typer.echo(new_exercise(pack, exercise, function))


@instructor_app.command("preview")
@user_errors
def instructor_preview(exercise: Annotated[str, typer.Argument(help="chapterN/slug")],
                       packs: Annotated[Optional[list[Path]], typer.Option("--lessons", "--pack", help="Lesson pack folder (repeatable).")] = None):
    """Show an exercise as a learner sees it: lesson, task, hints and check names."""
    from tutor.grader.commands import run_preview

    run_preview(exercise, packs or [])


@instructor_app.command("ci-template")
@user_errors
def instructor_ci_template(
        output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Workflow file, e.g. .github/workflows/tutor.yml (default: standard output).")] = None,
        classroom: Annotated[bool, typer.Option("--classroom", help="GitHub Classroom autograding: one command-grader step per exercise and the reporter.")] = False,
        target: Annotated[Optional[list[str]], typer.Option("--target", "-t", help="Chapters/exercises to grade (default: all).")] = None,
        lessons: LessonsOpt = None,
        pack_repo: Annotated[Optional[str], typer.Option("--pack-repo", help="OWNER/NAME of the git repository holding your lesson pack.")] = None,
        pack_ref: Annotated[Optional[str], typer.Option("--pack-ref", help="Branch, tag or commit of --pack-repo.")] = None,
        pack_pip: Annotated[Optional[str], typer.Option("--pack-pip", help="pip requirement of a packaged lesson pack (tutor.lessons entry point).")] = None,
        tutor_spec: Annotated[Optional[str], typer.Option("--tutor-spec", help="pip requirement for tutor itself (default: this version).")] = None,
        force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False):
    """Write a GitHub Actions workflow that grades each push (JUnit, annotations, results.json)."""
    from tutor.grader.ci_template import run_ci_template

    typer.echo(run_ci_template(output, classroom=classroom, targets=target or [], lessons=lessons or [],
                               pack_repo=pack_repo, pack_ref=pack_ref, pack_pip=pack_pip, tutor_spec=tutor_spec,
                               force=force), nl=False)


if __name__ == "__main__":
    app()
