import os
import shutil
import sys
from pathlib import Path

import pytest

from locations import FIXTURE_PACK, LESSONS, ROOT  # noqa: F401  (re-exported for fixtures)


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """Reference results are cached per test session, never in the developer's home."""
    os.environ["TUTOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("tutor-cache"))
    os.environ["TUTOR_STATE_DIR"] = str(tmp_path_factory.mktemp("tutor-state"))  # the cache's sealing key
    # `tutor init` would start compiling the kernels in a detached process, competing with the
    # tests for the CPU; tests/kernels/test_precompile.py turns it on where it is the subject.
    os.environ.setdefault("TUTOR_PRECOMPILE", "0")
    yield


@pytest.fixture(autouse=True, scope="session")
def _operator_environment():
    """Whether a command runs in CI mode (where a workspace's own lesson packs are ignored) or
    with TUTOR_LESSONS is each test's choice, not the choice of the machine running the suite."""
    saved = {name: os.environ.pop(name) for name in ("CI", "TUTOR_LESSONS") if name in os.environ}
    yield
    os.environ.update(saved)


@pytest.fixture
def fixture_pack(tmp_path) -> Path:
    """A private copy of the fixture pack that a test may break."""
    dest = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, dest)
    return dest


@pytest.fixture
def tutor_cmd():
    return [sys.executable, "-m", "tutor"]
