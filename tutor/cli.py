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

    typer.echo(commands.init(directory, pack or []))


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
def start(workspace: WorkspaceOpt = None):
    """The interactive tutor (Textual TUI)."""
    from tutor.tui.app import run_tui

    run_tui(_workspace(workspace))


@app.command()
@user_errors
def grade(submissions: Annotated[Path, typer.Argument(help="Folder holding one workspace per student.")],
          targets: Annotated[Optional[list[str]], typer.Option("--target", "-t", help="Limit to these targets.")] = None,
          output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Gradebook file (.csv or .json).")] = None):
    """Batch-grade a class: every workspace under SUBMISSIONS, gradebook out."""
    from tutor.grader.gradebook import run_gradebook

    raise typer.Exit(run_gradebook(submissions, targets or [], output))


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
