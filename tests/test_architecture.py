"""The headless core stays headless (STYLE.md): engine, grader and kernels never import Textual."""

import subprocess
import sys


def test_core_imports_no_textual():
    code = ("import sys\nimport tutor.engine.catalog, tutor.engine.workspace, tutor.engine.progress, "
            "tutor.engine.runner, tutor.grader.grade, tutor.grader.session, tutor.grader.reports, "
            "tutor.grader.validate, tutor.grader.gradebook, tutor.grader.batch, tutor.grader.feedback, "
            "tutor.grader.ci_template, tutor.grader.reports.outputs, tutor.grader.reports.github, tutor.engine.packs\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_workspace_commands_import_no_torch():
    code = ("import sys\nfrom tutor.engine import commands, catalog, workspace, progress\n"
            "print('torch' in sys.modules, 'numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"


def test_engine_never_imports_the_grader():
    """The engine (catalog, workspace, progress, sandbox) is infrastructure: the grader builds on it,
    never the reverse. Checked in the source and by importing every engine module."""
    from pathlib import Path

    engine = Path(__file__).resolve().parent.parent / "tutor" / "engine"
    for path in engine.glob("*.py"):
        text = path.read_text()
        assert "from tutor.grader" not in text and "import tutor.grader" not in text, path.name
    modules = sorted(f"tutor.engine.{p.stem}" for p in engine.glob("*.py") if p.stem not in ("__init__", "__main__"))
    code = (f"import sys, importlib\nfor m in {modules!r}: importlib.import_module(m)\n"
            "print(sorted(m for m in sys.modules if m.startswith(('tutor.grader', 'tutor.tui', 'textual'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
