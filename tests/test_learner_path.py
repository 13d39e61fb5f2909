"""The learner's path on the command line: `tutor next`, `tutor solution`, `tutor start
EXERCISE`, did-you-mean for a mistyped target, reset telling the truth, and a syntax error
reported once (with the file, the line and the caret)."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from locations import LESSONS
from tutor.cli import app
from tutor.engine.progress import Attempt, ProgressStore, file_hash

SOFTMAX = LESSONS / "chapter4" / "softmax" / "solutions" / "unsqueeze_style.py"


def run(*args, **kwargs):
    return CliRunner().invoke(app, [str(a) for a in args], **kwargs)


@pytest.fixture
def ws(tmp_path):
    result = run("init", tmp_path / "ws")
    assert result.exit_code == 0, result.output
    return tmp_path / "ws"


def record(ws, exercise: str, verdict: str, ts: float | None = None):
    path = ws / f"{exercise}.py"
    ProgressStore(ws / ".tutor" / "progress.db").record_attempt(
        Attempt(ts or time.time(), exercise, verdict, 1.0 if verdict == "pass" else 0.0, 0.1, file_hash(path)))


def pass_softmax(ws):
    (ws / "chapter4" / "softmax.py").write_text(SOFTMAX.read_text())
    record(ws, "chapter4/softmax", "pass")


def test_next_prints_the_first_exercise_not_passing_and_its_file(ws, monkeypatch):
    from tutor.engine.catalog import load_catalog

    first, second = load_catalog().exercises[:2]
    monkeypatch.chdir(ws)
    result = run("next")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"next: {first.id} — {first.title} (not started)"
    assert f"  file: {first.id}.py" in result.output  # relative to where the learner is
    assert f"tutor start {first.id}" in result.output
    (ws / f"{first.id}.py").write_text(first.reference_path.read_text())
    record(ws, first.id, "pass")
    result = run("next", "--path")
    assert result.output.strip() == f"{second.id}.py"
    monkeypatch.chdir(ws.parent)
    assert run("next", "--path", "--workspace", ws).output.strip() == f"ws/{second.id}.py"
    monkeypatch.chdir("/")  # outside: the full path
    assert run("next", "--path", "--workspace", ws).output.strip() == str(ws / f"{second.id}.py")


def test_next_when_everything_passes(ws, monkeypatch):
    from tutor.engine.catalog import load_catalog

    for ex in load_catalog().exercises:
        (ws / f"{ex.id}.py").write_text("# solved\n")
        record(ws, ex.id, "pass")
    result = run("next", "--workspace", ws)
    assert result.exit_code == 0 and "every exercise passes" in result.output
    assert run("next", "--path", "--workspace", ws).output == ""


def test_solution_refuses_before_a_pass_and_prints_the_reference_after(ws):
    result = run("solution", "softmax", "--workspace", ws)
    assert result.exit_code == 1
    assert "chapter4/softmax has not passed yet" in result.output and "Traceback" not in result.output
    pass_softmax(ws)
    result = run("solution", "softmax", "--workspace", ws)
    assert result.exit_code == 0, result.output
    reference = (LESSONS / "chapter4" / "softmax" / "reference.py").read_text()
    assert result.output.startswith("# chapter4/softmax — Softmax: the reference solution (yours is chapter4/softmax.py)")
    assert reference.strip() in result.output
    assert "# What to compare:" in result.output
    compile(result.output, "solution.py", "exec")  # still a Python file: the note is comments


def test_solution_of_a_chapter_or_a_typo_is_a_one_line_error(ws):
    from tutor.engine.catalog import load_catalog

    result = run("solution", "chapter4", "--workspace", ws)
    count = len(load_catalog().chapter("chapter4").exercises)
    assert result.exit_code == 2 and f"names {count} exercises" in result.output
    result = run("solution", "sofmax", "--workspace", ws)
    assert result.exit_code == 2 and "did you mean softmax (chapter4/softmax)?" in result.output


@pytest.mark.parametrize("target, suggestion", [
    ("sofmax", "did you mean softmax (chapter4/softmax)?"),
    ("chapter4/sofmax", "did you mean chapter4/softmax?"),
    ("chaptr7", "did you mean chapter7?"),
    ("cross_entropi", "did you mean cross_entropy (chapter4/cross_entropy)?"),
])
def test_did_you_mean_for_a_mistyped_target(ws, target, suggestion):
    proc = subprocess.run([sys.executable, "-m", "tutor", "check", target, "--workspace", str(ws)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"tutor: unknown target {target!r}; {suggestion}"


def test_a_target_like_nothing_lists_the_chapters(ws):
    result = run("hint", "xyzzy", "--workspace", ws)
    assert result.exit_code == 2 and "chapters: chapter2, chapter3, chapter4" in result.output


def test_start_opens_the_named_exercise(ws, monkeypatch):
    import tutor.tui.app

    seen = {}
    monkeypatch.setattr(tutor.tui.app, "run_tui", lambda ws_, open_exercise=None, **kw: seen.update(ex=open_exercise))
    assert run("start", "softmax", "--workspace", ws).exit_code == 0
    assert seen == {"ex": "chapter4/softmax"}
    assert run("start", "--workspace", ws).exit_code == 0 and seen == {"ex": None}
    result = run("start", "sofmax", "--workspace", ws)
    assert result.exit_code == 2 and "did you mean softmax" in result.output
    result = run("start", "chapter7", "--workspace", ws)
    assert result.exit_code == 2 and "names 6 exercises" in result.output  # a chapter is not one exercise


def test_the_app_opens_on_the_named_exercise(ws):
    """`tutor start EXERCISE` reaches the TUI with that exercise open, the list under it."""
    import asyncio

    from tutor.tui.app import create_app

    async def main():
        app = create_app(ws, warm_up=False, open_exercise="chapter7/conv2d")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            return type(app.screen).__name__, app.screen.exercise.id, [type(s).__name__ for s in app.screen_stack[1:]]

    assert asyncio.run(main()) == ("ExerciseScreen", "chapter7/conv2d", ["HomeScreen", "ExerciseScreen"])


def test_reset_clears_the_status_in_tutor_list(ws):
    def status():
        listing = json.loads(run("list", "--format", "json", "--workspace", ws).output)
        return {ex["id"]: ex["status"] for ch in listing["chapters"] for ex in ch["exercises"]}["chapter4/softmax"]

    pass_softmax(ws)
    assert status() == "pass"
    result = run("reset", "softmax", "--yes", "--workspace", ws)
    assert result.exit_code == 0, result.output
    assert status() == "not_started"
    assert "○ not started" in run("list", "--workspace", ws).output.split("chapter4/softmax")[1].splitlines()[0]
    # the old file comes back (say, from the backup): the old pass does not count for it
    (ws / "chapter4" / "softmax.py").write_text(SOFTMAX.read_text())
    assert status() == "not_started"


def test_a_syntax_error_is_reported_once_with_file_line_and_caret(ws):
    (ws / "chapter4" / "softmax.py").write_text("import torch\n\n\ndef softmax(X):\n    return (X.exp()\n")
    proc = subprocess.run([sys.executable, "-m", "tutor", "check", "softmax", "--workspace", str(ws)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    text = proc.stdout
    assert text.count("SyntaxError") == 1, text
    assert "chapter4/softmax.py, line 5" in text and "^" in text
    assert text.count("not run: your file does not import") >= 5
    assert str(ws) not in text  # the file as the learner names it, not the absolute path
    proc = subprocess.run([sys.executable, "-m", "tutor", "check", "softmax", "--workspace", str(ws), "--format",
                           "json"], capture_output=True, text=True, timeout=300)
    first, *rest = json.loads(proc.stdout)["results"][0]["checks"]
    assert first["verdict"] == "error" and first["message"].splitlines()[1:] == [
        '  File "chapter4/softmax.py", line 5', "    return (X.exp()", "           ^"]
    assert {c["message"] for c in rest} == {"not run: your file does not import"}
    assert {c["verdict"] for c in rest} == {"error"}


def test_an_error_in_every_check_is_not_mistaken_for_an_import_failure():
    from tutor.engine.runner import CheckRun
    from tutor.grader.grade import _failed_import

    same = dict(status="error", error="ValueError: boom (chapter4/softmax.py, line 7)", traceback="tb")
    assert _failed_import([CheckRun(0, **same), CheckRun(1, **same)]) is not None
    assert _failed_import([CheckRun(0, **same, duration_s=0.01), CheckRun(1, **same, duration_s=0.01)]) is None
    assert _failed_import([CheckRun(0, **same), CheckRun(1, **dict(same, traceback="other"))]) is None
    assert _failed_import([CheckRun(0, "not_started"), CheckRun(1, "not_started")]) is None


def test_init_starts_the_kernel_compile_in_the_background(tmp_path, monkeypatch):
    import tutor.kernels.precompile as precompile

    started = []
    monkeypatch.setattr(precompile, "start_background", lambda: started.append(True) or True)
    assert run("init", tmp_path / "w").exit_code == 0
    assert started == [True]


def test_next_solution_and_init_stay_light(ws):
    """No torch, no numba: these answer at once (init only starts the compile elsewhere)."""
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom tutor.cli import app\n"
            f"for args in (['next', '--workspace', {str(ws)!r}], ['solution', 'softmax', '--workspace', {str(ws)!r}],"
            f" ['init', {str(ws)!r}]):\n    CliRunner().invoke(app, args)\n"
            "print('torch' in sys.modules, 'numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "False False"
