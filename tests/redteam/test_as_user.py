"""The red team again, as an ordinary user: the grader must hold as well without root.

Run as root (CI containers are), this drops to `nobody` in a private mount namespace that
makes this Python reachable (tests/redteam/as_user.py) and runs test_redteam.py there, with
TUTOR_SANDBOX=full: an ordinary user must get the same bwrap sandbox, never a silent fallback.
Run as an ordinary user, the suite itself is that run, so this test has nothing to add.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
NOBODY = 65534


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="the suite already runs as an ordinary user: test_redteam.py is that run")
def test_the_red_team_as_an_ordinary_user():
    home = tempfile.mkdtemp(prefix="tutor-redteam-user-")
    try:
        os.chown(home, NOBODY, NOBODY)
        env = dict(os.environ, TUTOR_SANDBOX="full", TUTOR_CACHE_DIR=f"{home}/cache", TUTOR_STATE_DIR=f"{home}/state",
                   TUTOR_REDTEAM_UID=str(NOBODY))
        command = [sys.executable, str(HERE / "as_user.py"), str(NOBODY), str(NOBODY), home, "--",
                   sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--basetemp", f"{home}/pytest",
                   "-o", "addopts=", str(HERE / "test_redteam.py")]
        proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)
        tail = (proc.stdout + proc.stderr)[-6000:]
        assert proc.returncode == 0, tail
        assert " passed" in proc.stdout and " failed" not in proc.stdout, tail
    finally:
        shutil.rmtree(home, ignore_errors=True)
