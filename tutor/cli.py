"""The `tutor` command line. Thin: every command delegates to engine, grader or tui."""

from __future__ import annotations

import sys
from enum import Enum
from functools import wraps
from pathlib import Path
from typing import Annotated, Optional

import typer

from tutor import __version__

app = typer.Typer(help="Learn deep learning by implementing it: lessons, exercises and a grader that explains.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
instructor_app = typer.Typer(help="Author, validate and preview lesson packs.", no_args_is_help=True)
app.add_typer(instructor_app, name="instructor")

WorkspaceOpt = Annotated[Optional[Path], typer.Option("--workspace", "-w", help="Workspace folder (default: the nearest folder upwards holding tutor.toml).")]


class Format(str, Enum):
    text = "text"
    json = "json"
    junit = "junit"


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


@app.command()
@user_errors
def init(directory: Annotated[Path, typer.Argument(help="Folder to create the workspace in.")] = Path("."),
         pack: Annotated[Optional[list[Path]], typer.Option("--pack", help="Extra lesson pack to include.")] = None):
    """Create a workspace: tutor.toml and one starter file per exercise (never overwrites yours)."""
    from tutor.engine import commands
    from tutor.kernels.precompile import start_background

    typer.echo(commands.init(directory, pack or []))
    start_background()  # compile the reference kernels now, while the learner reads the first lessons


@app.command("list")
@user_errors
def list_(workspace: WorkspaceOpt = None, format: Annotated[Format, typer.Option("--format", "-f")] = Format.text):
    """Chapters, exercises and their status."""
    from tutor.engine import commands

    typer.echo(commands.list_exercises(_workspace(workspace), format.value))


@app.command()
@user_errors
def check(targets: Annotated[Optional[list[str]], typer.Argument(help="chapter7, 7, chapter4/softmax or softmax.")] = None,
          all_: Annotated[bool, typer.Option("--all", help="Grade every exercise.")] = False,
          format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.text,
          output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this file.")] = None,
          workspace: WorkspaceOpt = None):
    """Grade exercises. Exit 0 when all pass, 1 when some do not, 2 on a usage error."""
    from tutor.grader.commands import run_check

    raise typer.Exit(run_check(_workspace(workspace), targets or [], all_, format.value, output))


@app.command()
@user_errors
def watch(target: Annotated[Optional[str], typer.Argument(help="Chapter or exercise to follow (default: all).")] = None,
          workspace: WorkspaceOpt = None):
    """Re-grade on every save and show the first exercise that does not pass yet."""
    from tutor.grader.watch import run_watch

    raise typer.Exit(run_watch(_workspace(workspace), target))


@app.command("next")
@user_errors
def next_(workspace: WorkspaceOpt = None,
          path: Annotated[bool, typer.Option("--path", help="Print only the file's path (e.g. for $EDITOR).")] = False):
    """The next exercise not passing yet, and its file."""
    from tutor.engine import commands

    text = commands.next_text(_workspace(workspace), path_only=path)
    if text:
        typer.echo(text)


@app.command()
@user_errors
def hint(exercise: Annotated[str, typer.Argument(help="Exercise, e.g. chapter4/softmax.")], workspace: WorkspaceOpt = None):
    """Show the next hint of an exercise (hints taken are counted)."""
    from tutor.engine import commands

    typer.echo(commands.hint(_workspace(workspace), exercise))


@app.command()
@user_errors
def reset(exercise: Annotated[str, typer.Argument(help="Exercise, e.g. chapter4/softmax.")],
          yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
          workspace: WorkspaceOpt = None):
    """Put the starter back; your current file is kept in .tutor/backups."""
    from tutor.engine import commands

    ws = _workspace(workspace)
    if not yes and sys.stdin.isatty():
        typer.confirm(f"Reset {exercise} to its starter (your file is backed up)?", abort=True)
    typer.echo(commands.reset(ws, exercise))


@app.command()
@user_errors
def solution(exercise: Annotated[str, typer.Argument(help="Exercise, e.g. chapter4/softmax.")], workspace: WorkspaceOpt = None):
    """The reference solution, once your exercise passes (exit 1 before)."""
    from tutor.engine import commands

    ok, text = commands.solution(_workspace(workspace), exercise)
    if not ok:
        typer.echo(f"tutor: {text}", err=True)
        raise typer.Exit(1)
    typer.echo(text, nl=False)


@app.command()
@user_errors
def start(exercise: Annotated[Optional[str], typer.Argument(help="Open this exercise directly, e.g. softmax.")] = None,
          workspace: WorkspaceOpt = None):
    """The interactive tutor (Textual TUI)."""
    ws = _workspace(workspace)
    opened = None
    if exercise is not None:  # a bad name is a one-line error here, before the screen is taken over
        from tutor.engine.catalog import load_catalog
        from tutor.engine.commands import one_exercise

        opened = one_exercise(load_catalog(ws.packs), exercise).id
    from tutor.tui.app import run_tui

    run_tui(ws, open_exercise=opened)


@app.command()
@user_errors
def grade(submissions: Annotated[Path, typer.Argument(help="Folder holding one workspace per student.")],
          targets: Annotated[Optional[list[str]], typer.Option("--target", "-t", help="Limit to these targets.")] = None,
          output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Gradebook file (.csv or .json).")] = None):
    """Batch-grade a class: every workspace under SUBMISSIONS, gradebook out."""
    from tutor.grader.gradebook import run_gradebook

    raise typer.Exit(run_gradebook(submissions, targets or [], output))


@instructor_app.command("validate")
@user_errors
def instructor_validate(packs: Annotated[Optional[list[Path]], typer.Argument(help="Lesson pack folders (default: the built-in curriculum).")] = None,
                        target: Annotated[Optional[list[str]], typer.Option("--target", "-t", help="Only these chapters/exercises.")] = None):
    """Check that checks tell right from wrong: starter not started, solutions pass, mutants fail as declared."""
    from tutor.grader.commands import run_validate

    raise typer.Exit(run_validate(packs or [], target or []))


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
                       packs: Annotated[Optional[list[Path]], typer.Option("--pack", help="Lesson pack folder.")] = None):
    """Show an exercise as a learner sees it: lesson, task, hints and check names."""
    from tutor.engine import commands

    commands.preview(exercise, packs or [])


if __name__ == "__main__":
    app()
