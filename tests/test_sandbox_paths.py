"""tutor installed (or checked out) under /tmp still grades: each job's private /tmp would
cover it, so the sandbox binds it again on top (a fresh clone in a temporary folder is how CI
scripts and first-time users often run it)."""

import json
import os
import shutil
import subprocess
import sys

from locations import ROOT


def test_a_tutor_under_tmp_grades_exercises_whose_checks_import_the_kit(tmp_path):
    assert str(tmp_path).startswith("/tmp/")
    copy = tmp_path / "checkout"
    shutil.copytree(ROOT / "tutor", copy / "tutor", ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
    ws = tmp_path / "ws"
    env = dict(os.environ, PYTHONPATH=str(copy))
    run = lambda *args: subprocess.run([sys.executable, "-m", "tutor", *args], cwd=tmp_path, env=env,  # noqa: E731
                                       capture_output=True, text=True, timeout=600)
    assert run("init", str(ws)).returncode == 0
    exercise = "chapter2/broadcasting"  # its checks.py imports tutor.grader.kit, which the zygote has not loaded
    shutil.copyfile(copy / "tutor" / "lessons" / exercise / "reference.py", ws / f"{exercise}.py")
    proc = run("check", exercise, "--workspace", str(ws), "--format", "json")
    report = json.loads(proc.stdout)
    assert report["results"][0]["verdict"] == "pass", proc.stdout[-2000:] + proc.stderr[-2000:]
    assert report["results"][0]["isolation"] == "full"
