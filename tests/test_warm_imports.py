"""Workers that grade many files import once, in the zygote, what every job would import again:
torch._dynamo (the first torch.optim call), numba, and the modules the exercises' bans need."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tutor.engine import bans
from tutor.engine.catalog import load_catalog
from tutor.grader.grade import Grader
from tutor.grader.warm_imports import ALWAYS, for_exercises

PACK = Path(__file__).resolve().parent / "redteam" / "pack"
REPORT = """
    import sys

    def softmax(X):
        raise RuntimeError("imported=[" + " ".join(m for m in ("scipy.signal", "torch._dynamo") if m in sys.modules) + "]")
"""


def test_the_modules_a_ban_needs_are_found_without_the_operators():
    needed = bans.modules_to_import(bans.expand(["convolution"]))
    assert "scipy.signal" in needed
    assert not any(name.startswith("aten") for name in needed)
    assert bans.modules_to_import(bans.expand([], ["aten:convolution"])) == []


def test_what_a_catalog_preloads_follows_its_bans():
    catalog = load_catalog()
    corr2d = for_exercises([catalog.exercise("chapter7/corr2d")])
    softmax = for_exercises([catalog.exercise("chapter4/softmax")])
    assert set(ALWAYS) <= set(corr2d) and "scipy.signal" in corr2d
    assert set(ALWAYS) <= set(softmax) and "scipy.signal" not in softmax


@pytest.mark.parametrize("preload, imported", [((), ""), (("scipy.signal", "torch._dynamo"), "scipy.signal torch._dynamo")])
def test_a_job_starts_with_what_its_worker_preloaded(tmp_path, preload, imported):
    exercise = load_catalog([PACK], include_builtin=False).exercise("chapter3/softmax")
    path = tmp_path / "chapter3" / "softmax.py"
    path.parent.mkdir(parents=True)
    path.write_text(textwrap.dedent(REPORT))
    grader = Grader(cache_dir=tmp_path / "cache", protected=[PACK], preload=preload)
    try:
        message = grader.grade(exercise, path).checks[0].message
    finally:
        grader.close()
    assert f"imported=[{imported}]" in message


def test_the_warm_session_grades_an_optimizer_exercise(tmp_path, monkeypatch):
    """The TUI's and watch's session preloads torch._dynamo; the zygote has no writable temp
    dir, and an import that failed halfway there made every torch.optim call an error."""
    from tutor.engine.workspace import init_workspace
    from tutor.grader.session import Session

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    catalog = load_catalog()
    ws, _ = init_workspace(tmp_path / "ws", catalog)
    momentum = catalog.exercise("chapter12/momentum")
    ws.learner_file(momentum).write_text(momentum.reference_path.read_text())
    session = Session.open_warm(ws, catalog=catalog, warm=[])
    try:
        result = session.check([momentum], record=False).results[0]
    finally:
        session.close()
    assert str(result.verdict) == "pass", [(c.id, c.message[:200]) for c in result.checks if str(c.verdict) != "pass"]
    assert result.checks[0].cpu_s < 1.0  # the lesson's example no longer pays for importing torch._dynamo


HOLDS_800_MB = """
    import time
    import numpy as np

    def softmax(X):
        held = np.ones(100_000_000)  # 800 MB, every page touched
        time.sleep(0.3)  # several memory polls
        raise RuntimeError(f"held {held.nbytes >> 20} MB")
"""


def test_what_the_worker_preloaded_is_not_counted_against_the_learners_memory(tmp_path):
    """The memory limit is what the learner's code adds: 800 MB fit in a 1024 MB budget whether
    or not the worker imported 130 MB of modules ahead (its pages are in every fork's RSS)."""
    exercise = load_catalog([PACK], include_builtin=False).exercise("chapter3/softmax")
    assert exercise.memory_limit_mb == 1024
    path = tmp_path / "chapter3" / "softmax.py"
    path.parent.mkdir(parents=True)
    path.write_text(textwrap.dedent(HOLDS_800_MB))
    grader = Grader(cache_dir=tmp_path / "cache", protected=[PACK], preload=for_exercises(load_catalog().exercises))
    try:
        check = grader.grade(exercise, path).checks[0]
    finally:
        grader.close()
    assert str(check.verdict) == "error" and "held 762 MB" in check.message, (check.verdict, check.message[:300])
