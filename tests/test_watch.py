"""`tutor watch`: re-grades on save, shows the first exercise not passing, moves on after a pass."""

from __future__ import annotations

import io
import queue
import threading
from pathlib import Path

import pytest
from rich.console import Console

from tutor.engine.catalog import load_catalog
from tutor.engine.workspace import Workspace
from tutor.grader.watch import run_watch

PACK = Path(__file__).resolve().parent / "redteam" / "pack"
CORRECT = (Path(__file__).resolve().parent / "redteam" / "submissions" / "correct.py").read_text()
WRONG = "import torch\n\n\ndef softmax(X):\n    return torch.exp(X) / torch.exp(X).sum()\n"
FLOOD = "import sys\n\nwhile True:\n    sys.stdout.write('spam ' * 1000 + '\\n')\n"


@pytest.fixture
def watched(tmp_path):
    """run_watch in a thread over the red-team pack's two exercises; yields (ws, rounds, stop, out)."""
    catalog = load_catalog([PACK], include_builtin=False)
    ws = Workspace(tmp_path)
    for ex in catalog.exercises:
        path = ws.learner_file(ex)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ex.starter)
    rounds: queue.Queue = queue.Queue()
    stop = threading.Event()
    out = io.StringIO()
    console = Console(file=out, width=120, force_terminal=False)
    codes = []

    def on_round(state):
        rounds.put((state.current.id if state.current else None, state.verdicts.copy(), out.getvalue()))

    thread = threading.Thread(target=lambda: codes.append(
        run_watch(ws, "chapter3", catalog=catalog, console=console, stop=stop, on_round=on_round, debounce_ms=50)))
    thread.start()
    yield ws, rounds, stop, codes
    stop.set()
    thread.join(60)
    assert not thread.is_alive()


def next_round(rounds):
    return rounds.get(timeout=60)


def test_shows_first_exercise_not_passing_then_regrades_on_save_and_moves_on(watched):
    ws, rounds, stop, codes = watched
    current, verdicts, text = next_round(rounds)
    assert current == "chapter3/softmax"
    assert verdicts == {"chapter3/softmax": "not_started"}
    assert "0/2 exercises passing" in text

    (ws.root / "chapter3" / "softmax.py").write_text(WRONG)
    current, verdicts, text = next_round(rounds)
    assert current == "chapter3/softmax"
    assert verdicts["chapter3/softmax"] == "fail"
    assert "passes" not in text

    (ws.root / "chapter3" / "softmax.py").write_text(CORRECT)
    current, verdicts, text = next_round(rounds)
    assert verdicts["chapter3/softmax"] == "pass"
    assert current == "chapter3/softmax_small_memory"  # moved on to the next exercise
    assert "1/2 exercises passing" in text
    # ...saying so first: what passed, then what comes next
    after_fail = text[text.rindex("tutor watch"):]
    assert after_fail.index("✓ chapter3/softmax passes") < after_fail.index("next: chapter3/softmax_small_memory")

    (ws.root / "chapter3" / "softmax_small_memory.py").write_text(CORRECT)
    current, verdicts, text = next_round(rounds)
    assert current is None
    assert "✓ chapter3/softmax_small_memory passes" in text and "Every exercise passes" in text
    stop.set()


def test_a_program_that_prints_forever_does_not_freeze_the_watch(watched):
    ws, rounds, stop, codes = watched
    next_round(rounds)
    (ws.root / "chapter3" / "softmax.py").write_text(FLOOD)
    current, verdicts, text = next_round(rounds)
    assert verdicts["chapter3/softmax"] == "timeout"
    assert "spam" in text  # what it printed is shown, trimmed
    (ws.root / "chapter3" / "softmax.py").write_text(CORRECT)
    current, verdicts, text = next_round(rounds)
    assert verdicts["chapter3/softmax"] == "pass"


def test_watch_command_is_wired(tmp_path, monkeypatch):
    """The CLI's `tutor watch` reaches run_watch with the workspace and the target."""
    from typer.testing import CliRunner

    import tutor.grader.watch as watch
    from tutor.cli import app

    seen = {}
    monkeypatch.setattr(watch, "run_watch", lambda ws, target, **kw: seen.update(ws=ws, target=target, **kw) or 0)
    (tmp_path / "tutor.toml").write_text("[workspace]\nformat = 1\npacks = []\n")
    result = CliRunner().invoke(app, ["watch", "chapter3", "--workspace", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert seen["target"] == "chapter3" and Path(seen["ws"].root) == tmp_path
    assert any(ex.id == "chapter4/softmax" for ex in seen["catalog"].exercises)
