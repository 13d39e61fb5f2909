"""Startup: the first screen appears without importing torch; the TUI stays out of the core."""

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "tui_startup.py"


def test_first_screen_without_torch(workspace):
    from .conftest import PACK

    ns: dict = {}
    exec(compile(BENCH.read_text(), str(BENCH), "exec"), ns)  # reuse the benchmark's child program
    out = subprocess.run([sys.executable, "-c", ns["CHILD"], str(workspace.root), str(PACK)],
                         capture_output=True, text=True, timeout=60, check=True)
    line = json.loads(next(ln for ln in out.stdout.splitlines() if ln.startswith("{")))
    assert line["torch"] is False


def test_tui_modules_import_no_torch_and_core_no_textual():
    code = ("import sys\nimport tutor.tui.app, tutor.tui.screens.home, tutor.tui.screens.exercise, "
            "tutor.tui.widgets.results, tutor.tui.widgets.lesson, tutor.tui.widgets.loss_plot\n"
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "False"
